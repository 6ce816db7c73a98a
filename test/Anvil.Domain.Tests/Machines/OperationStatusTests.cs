using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

/// <summary>Every user operation from every status, as an admin (so only the status decides).</summary>
public sealed class OperationStatusTests
{
    [Theory]
    [MemberData(nameof(UserOperations.NamesByStatus), MemberType = typeof(UserOperations))]
    public void Operation_runs_only_from_its_allowed_statuses(string name, NodeStatus status)
    {
        var operation = UserOperations.Named(name);
        var machine = TestMachines.In(status, NodeStatusInfo.IsAllocated(status) ? TestMachines.Alice : null, PowerState.On);
        machine.PreviousStatus = READY;
        var expected = operation.ExpectedStatus(machine);

        if (operation.AllowedFrom.Contains(status))
        {
            operation.Run(machine, TestMachines.Admin);
            machine.Status.ShouldBe(expected);
        }
        else
        {
            Should.Throw<ConflictException>(() => operation.Run(machine, TestMachines.Admin));
            machine.Status.ShouldBe(status);
        }
    }

    [Theory]
    [MemberData(nameof(UserOperations.Names), MemberType = typeof(UserOperations))]
    public void Operation_records_one_audit_event_with_its_action(string name)
    {
        var operation = UserOperations.Named(name);
        var machine = Runnable(operation);

        var outcome = operation.Run(machine, TestMachines.Admin);

        var audit = outcome.Events.Where(e => EventTypes.Get(e.Type).Level == EventLevel.AUDIT).ToList();
        audit.Count.ShouldBe(1);
        audit[0].Type.ShouldBe(EventTypes.NODE);
        audit[0].Action.ShouldStartWith(operation.AuditAction);
    }

    [Theory]
    [MemberData(nameof(UserOperations.Names), MemberType = typeof(UserOperations))]
    public void Operation_records_its_request_and_every_status_change(string name)
    {
        var operation = UserOperations.Named(name);
        var machine = Runnable(operation);
        var before = machine.Status;

        var outcome = operation.Run(machine, TestMachines.Admin);

        outcome.Events.Select(e => EventTypes.TryGet(e.Type, out var type)).ShouldAllBe(known => known);
        outcome.Events.ShouldContain(e => e.Type.StartsWith("REQUEST_NODE_", StringComparison.Ordinal));
        var changes = outcome.Events.Where(e => e.Type == EventTypes.NODE_CHANGED_STATUS).ToList();
        if (machine.Status == before)
        {
            changes.ShouldBeEmpty();
        }
        else
        {
            changes.ShouldNotBeEmpty();
            changes[^1].Description.ShouldEndWith($"to '{NodeStatusInfo.Label(machine.Status)}'");
        }
    }

    [Theory]
    [MemberData(nameof(UserOperations.Names), MemberType = typeof(UserOperations))]
    public void A_locked_machine_refuses_every_operation_but_lock_with_403(string name)
    {
        var operation = UserOperations.Named(name);
        var machine = Runnable(operation);
        machine.Locked = true;

        if (name == "lock")
        {
            Should.Throw<ConflictException>(() => operation.Run(machine, TestMachines.Admin)).Message.ShouldBe("Machine is already locked");
        }
        else
        {
            Should.Throw<ForbiddenException>(() => operation.Run(machine, TestMachines.Admin));
            Should.Throw<ForbiddenException>(() => operation.Run(machine, TestMachines.Alice));
        }
    }

    [Theory]
    [MemberData(nameof(UserOperations.Names), MemberType = typeof(UserOperations))]
    public void Another_user_may_not_touch_an_owned_machine(string name)
    {
        var operation = UserOperations.Named(name);
        var machine = Runnable(operation);
        machine.OwnerId = TestMachines.Alice.UserId;
        machine.OwnerName = TestMachines.Alice.Username;

        Should.Throw<ForbiddenException>(() => operation.Run(machine, TestMachines.Bob));
    }

    private static Machine Runnable(UserOperations.Case operation)
    {
        var status = operation.AllowedFrom[0];
        var machine = TestMachines.In(status, NodeStatusInfo.IsAllocated(status) ? TestMachines.Alice : null, PowerState.On);
        machine.PreviousStatus = READY;
        return machine;
    }
}

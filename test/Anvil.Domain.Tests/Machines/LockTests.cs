using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class LockTests
{
    [Fact]
    public void The_owner_may_lock_a_deployed_machine()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);

        var outcome = MachineLifecycle.Lock(machine, TestMachines.Alice, "prod db");

        machine.Locked.ShouldBeTrue();
        machine.Status.ShouldBe(DEPLOYED);
        outcome.Power.ShouldBe(PowerRequest.None);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_LOCK, "prod db"),
            new NodeEvent(EventTypes.NODE, "prod db", "lock"),
        ]);
    }

    [Fact]
    public void Lock_refuses_a_machine_that_is_not_deployed()
    {
        var machine = TestMachines.In(READY);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.Lock(machine, TestMachines.Admin));

        error.Message.ShouldStartWith("Can't lock a machine that is in the 'Ready' state");
        machine.Locked.ShouldBeFalse();
    }

    [Fact]
    public void Another_user_may_not_lock_an_owned_machine()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);

        Should.Throw<ForbiddenException>(() => MachineLifecycle.Lock(machine, TestMachines.Bob));
    }

    [Theory]
    [MemberData(nameof(TestMachines.AllStatuses), MemberType = typeof(TestMachines))]
    public void The_owner_may_unlock_a_locked_machine_in_any_status(NodeStatus status)
    {
        var machine = TestMachines.In(status, TestMachines.Alice);
        machine.Locked = true;

        var outcome = MachineLifecycle.Unlock(machine, TestMachines.Alice, "maintenance");

        machine.Locked.ShouldBeFalse();
        machine.Status.ShouldBe(status);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.NODE, "maintenance", "unlock"));
    }

    [Fact]
    public void Unlock_refuses_a_machine_that_is_not_locked()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.Unlock(machine, TestMachines.Alice));

        error.Message.ShouldBe("Machine is not locked");
    }

    [Fact]
    public void Another_user_may_not_unlock_an_owned_machine()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);
        machine.Locked = true;

        Should.Throw<ForbiddenException>(() => MachineLifecycle.Unlock(machine, TestMachines.Bob));
        machine.Locked.ShouldBeTrue();
    }

    [Fact]
    public void After_unlocking_the_owner_may_release_again()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);
        MachineLifecycle.Lock(machine, TestMachines.Alice);
        Should.Throw<ForbiddenException>(() => MachineLifecycle.Release(machine, TestMachines.Alice, new ReleaseOptions(), TestMachines.Now, 30));

        MachineLifecycle.Unlock(machine, TestMachines.Alice);
        MachineLifecycle.Release(machine, TestMachines.Alice, new ReleaseOptions(), TestMachines.Now, 30);

        machine.Status.ShouldBe(READY);
    }
}

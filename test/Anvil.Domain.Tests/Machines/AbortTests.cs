using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class AbortTests
{
    [Fact]
    public void Abort_commissioning_returns_to_new_gives_the_machine_back_and_powers_it_off()
    {
        var machine = TestMachines.In(READY);
        MachineLifecycle.Commission(machine, TestMachines.Admin, new CommissionOptions(), TestMachines.Now, 30);

        var outcome = MachineLifecycle.Abort(machine, TestMachines.Admin, "wrong one");

        machine.Status.ShouldBe(NEW);
        machine.OwnerId.ShouldBeNull();
        machine.StatusExpires.ShouldBeNull();
        outcome.Power.ShouldBe(PowerRequest.Off);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_ABORT_COMMISSIONING, "wrong one"),
            new NodeEvent(EventTypes.NODE, "wrong one", "abort commissioning"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Commissioning' to 'New'"),
            new NodeEvent(EventTypes.ABORTED_COMMISSIONING),
        ]);
    }

    [Fact]
    public void The_owner_may_abort_a_deployment_which_returns_to_allocated()
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice);
        MachineLifecycle.Deploy(machine, TestMachines.Alice, new DeployOptions { Osystem = "ubuntu", DistroSeries = "noble" }, TestMachines.Now, 30);

        var outcome = MachineLifecycle.Abort(machine, TestMachines.Alice);

        machine.Status.ShouldBe(ALLOCATED);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
        machine.StatusExpires.ShouldBeNull();
        outcome.Power.ShouldBe(PowerRequest.Off);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.NODE, "", "abort deploying"));
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.ABORTED_DEPLOYMENT));
    }

    [Fact]
    public void Abort_disk_erasing_leaves_the_machine_failed_and_owned()
    {
        var machine = TestMachines.In(DISK_ERASING, TestMachines.Alice);

        var outcome = MachineLifecycle.Abort(machine, TestMachines.Alice);

        machine.Status.ShouldBe(FAILED_DISK_ERASING);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.REQUEST_NODE_ABORT_ERASE_DISK));
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.ABORTED_DISK_ERASING));
    }

    [Theory]
    [InlineData(READY, READY)]
    [InlineData(DEPLOYED, DEPLOYED)]
    [InlineData(ALLOCATED, ALLOCATED)]
    [InlineData(BROKEN, BROKEN)]
    [InlineData(FAILED_TESTING, FAILED_TESTING)]
    [InlineData(COMMISSIONING, READY)]
    [InlineData(FAILED_COMMISSIONING, FAILED_TESTING)]
    [InlineData(RESCUE_MODE, FAILED_TESTING)]
    public void Abort_testing_returns_to_the_status_before_the_tests(NodeStatus before, NodeStatus expected)
    {
        var machine = TestMachines.In(TESTING, TestMachines.Alice);
        machine.PreviousStatus = before;

        var outcome = MachineLifecycle.Abort(machine, TestMachines.Admin);

        machine.Status.ShouldBe(expected);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.ABORTED_TESTING));
    }

    [Fact]
    public void Abort_testing_of_a_ready_machine_gives_it_back()
    {
        var machine = TestMachines.In(READY);
        MachineLifecycle.Test(machine, TestMachines.Admin, enableSsh: false, TestMachines.Now, 30);

        MachineLifecycle.Abort(machine, TestMachines.Admin);

        machine.Status.ShouldBe(READY);
        machine.OwnerId.ShouldBeNull();
    }

    [Fact]
    public void Abort_testing_of_a_deployed_machine_keeps_its_owner()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);
        MachineLifecycle.Test(machine, TestMachines.Admin, enableSsh: false, TestMachines.Now, 30);

        MachineLifecycle.Abort(machine, TestMachines.Admin);

        machine.Status.ShouldBe(DEPLOYED);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
    }

    [Fact]
    public void Abort_refusal_reads_like_MAAS()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.Abort(machine, TestMachines.Alice));

        error.Message.ShouldBe("Cannot abort in current state: node abc123 is in state Deployed.");
    }
}

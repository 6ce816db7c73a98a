using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class RescueModeAndOverrideTests
{
    [Fact]
    public void EnterRescueMode_remembers_the_status_and_boots_the_rescue_environment()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.On);

        var outcome = MachineLifecycle.EnterRescueMode(machine, TestMachines.Admin, TestMachines.Now, 25);

        machine.Status.ShouldBe(ENTERING_RESCUE_MODE);
        machine.PreviousStatus.ShouldBe(DEPLOYED);
        machine.StatusExpires.ShouldBe(TestMachines.Now.AddMinutes(25));
        outcome.Power.ShouldBe(PowerRequest.Cycle);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_START_RESCUE_MODE),
            new NodeEvent(EventTypes.NODE, "", "start rescue mode"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Deployed' to 'Entering rescue mode'"),
            new NodeEvent(EventTypes.ENTERING_RESCUE_MODE),
        ]);
    }

    [Fact]
    public void Rescue_mode_is_for_admins_only()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);

        Should.Throw<ForbiddenException>(() => MachineLifecycle.EnterRescueMode(machine, TestMachines.Alice, TestMachines.Now, 30));
    }

    [Fact]
    public void Exiting_rescue_mode_of_a_deployed_machine_reboots_it_into_its_OS()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.On);
        MachineLifecycle.EnterRescueMode(machine, TestMachines.Admin, TestMachines.Now, 30);
        NodeTransitions.Apply(machine, RESCUE_MODE);

        var outcome = MachineLifecycle.ExitRescueMode(machine, TestMachines.Admin, TestMachines.Now);

        machine.Status.ShouldBe(EXITING_RESCUE_MODE);
        machine.PreviousStatus.ShouldBe(DEPLOYED);
        machine.StatusExpires.ShouldBe(TestMachines.Now.AddMinutes(5));
        outcome.Power.ShouldBe(PowerRequest.Cycle);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.NODE, "", "stop rescue mode"));
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.EXITING_RESCUE_MODE));
    }

    [Fact]
    public void Exiting_rescue_mode_of_another_machine_powers_it_off()
    {
        var machine = TestMachines.In(READY, powerState: PowerState.On);
        MachineLifecycle.EnterRescueMode(machine, TestMachines.Admin, TestMachines.Now, 30);

        var outcome = MachineLifecycle.ExitRescueMode(machine, TestMachines.Admin, TestMachines.Now);

        outcome.Power.ShouldBe(PowerRequest.Off);
    }

    [Fact]
    public void A_machine_nobody_owns_is_taken_by_the_admin_for_the_rescue_and_given_back_after()
    {
        var machine = TestMachines.In(READY, powerState: PowerState.Off);

        MachineLifecycle.EnterRescueMode(machine, TestMachines.Admin, TestMachines.Now, 30);
        machine.OwnerId.ShouldBe(TestMachines.Admin.UserId);
        NodeTransitions.Apply(machine, RESCUE_MODE);
        MachineLifecycle.ExitRescueMode(machine, TestMachines.Admin, TestMachines.Now);
        var outcome = MachineLifecycle.ObservePower(machine, PowerState.Off);

        machine.Status.ShouldBe(READY);
        machine.OwnerId.ShouldBeNull();
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.EXITED_RESCUE_MODE));
    }

    [Fact]
    public void A_deployed_machine_keeps_its_owner_through_rescue_mode()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.On);

        MachineLifecycle.EnterRescueMode(machine, TestMachines.Admin, TestMachines.Now, 30);
        NodeTransitions.Apply(machine, RESCUE_MODE);
        MachineLifecycle.ExitRescueMode(machine, TestMachines.Admin, TestMachines.Now);
        MachineLifecycle.ObservePower(machine, PowerState.On);

        machine.Status.ShouldBe(DEPLOYED);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
        machine.StatusExpires.ShouldBeNull();
    }

    [Theory]
    [InlineData(DEPLOYED, PowerState.On, DEPLOYED)]
    [InlineData(DEPLOYED, PowerState.Off, DEPLOYED)]
    [InlineData(DEPLOYED, PowerState.Error, EXITING_RESCUE_MODE)]
    [InlineData(READY, PowerState.On, EXITING_RESCUE_MODE)]
    [InlineData(READY, PowerState.Off, READY)]
    public void Leaving_rescue_mode_completes_when_the_expected_power_state_is_seen(NodeStatus before, string seen, NodeStatus expected)
    {
        var machine = TestMachines.In(before, NodeStatusInfo.IsAllocated(before) ? TestMachines.Alice : null, PowerState.On);
        MachineLifecycle.EnterRescueMode(machine, TestMachines.Admin, TestMachines.Now, 30);
        NodeTransitions.Apply(machine, RESCUE_MODE);
        MachineLifecycle.ExitRescueMode(machine, TestMachines.Admin, TestMachines.Now);

        MachineLifecycle.ObservePower(machine, seen);

        machine.Status.ShouldBe(expected);
    }

    [Fact]
    public void Leaving_rescue_mode_of_a_machine_whose_power_cannot_be_queried_completes_at_once()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.Unknown);
        MachineLifecycle.EnterRescueMode(machine, TestMachines.Admin, TestMachines.Now, 30);
        NodeTransitions.Apply(machine, RESCUE_MODE);

        var outcome = MachineLifecycle.ExitRescueMode(machine, TestMachines.Admin, TestMachines.Now, powerQueryable: false);

        machine.Status.ShouldBe(DEPLOYED);
        outcome.Power.ShouldBe(PowerRequest.Cycle);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.EXITED_RESCUE_MODE));
    }

    [Theory]
    [InlineData(PowerState.Off, READY)]
    [InlineData(PowerState.On, RELEASING)]
    [InlineData(PowerState.Error, RELEASING)]
    public void A_release_waiting_for_the_power_off_completes_when_off_is_seen(string seen, NodeStatus expected)
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.On);
        MachineLifecycle.Release(machine, TestMachines.Alice, new ReleaseOptions { PowerQueryable = true }, TestMachines.Now, 30);
        machine.Status.ShouldBe(RELEASING);

        MachineLifecycle.ObservePower(machine, seen);

        machine.Status.ShouldBe(expected);
        if (expected == READY)
            machine.OwnerId.ShouldBeNull();
    }

    [Theory]
    [InlineData(DEPLOYED)]
    [InlineData(READY)]
    [InlineData(COMMISSIONING)]
    public void Power_states_seen_in_other_statuses_change_nothing(NodeStatus status)
    {
        var machine = TestMachines.In(status, NodeStatusInfo.IsAllocated(status) ? TestMachines.Alice : null);

        MachineLifecycle.ObservePower(machine, PowerState.Off).ShouldBe(LifecycleOutcome.Nothing);
        machine.Status.ShouldBe(status);
    }

    [Fact]
    public void Rescue_mode_cannot_be_entered_after_failing_to_exit_it()
    {
        var machine = TestMachines.In(FAILED_EXITING_RESCUE_MODE, TestMachines.Alice);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.EnterRescueMode(machine, TestMachines.Admin, TestMachines.Now, 30));

        error.Message.ShouldBe("Invalid transition: Failed to exit rescue mode -> Entering rescue mode.");
    }

    [Theory]
    [InlineData(DEPLOYED, DEPLOYED)]
    [InlineData(READY, READY)]
    [InlineData(ALLOCATED, READY)]
    [InlineData(NEW, READY)]
    public void OverrideFailedTesting_returns_deployed_machines_to_deployed_and_others_to_ready(NodeStatus before, NodeStatus expected)
    {
        var machine = TestMachines.In(before, NodeStatusInfo.IsAllocated(before) ? TestMachines.Alice : null);
        NodeTransitions.Apply(machine, TESTING);
        NodeTransitions.Apply(machine, FAILED_TESTING);
        machine.ErrorDescription = "memtest failed";

        var outcome = MachineLifecycle.OverrideFailedTesting(machine, TestMachines.Admin, "known issue");

        machine.Status.ShouldBe(expected);
        machine.ErrorDescription.ShouldBe("");
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.REQUEST_NODE_OVERRIDE_FAILED_TESTING, "known issue"));
    }

    [Fact]
    public void OverrideFailedTesting_is_for_admins_only()
    {
        var machine = TestMachines.In(FAILED_TESTING, TestMachines.Alice);

        Should.Throw<ForbiddenException>(() => MachineLifecycle.OverrideFailedTesting(machine, TestMachines.Alice));
    }
}

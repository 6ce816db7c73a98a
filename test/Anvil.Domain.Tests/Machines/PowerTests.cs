using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class PowerTests
{
    [Fact]
    public void PowerOn_of_an_unallocated_machine_is_refused_like_MAAS()
    {
        var machine = TestMachines.In(READY);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.PowerOn(machine, TestMachines.Admin, null, TestMachines.Now, 30));

        error.Message.ShouldBe("Can't start node: it hasn't been allocated.");
    }

    [Fact]
    public void PowerOn_of_a_deployed_machine_only_powers_it_on()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);

        var outcome = MachineLifecycle.PowerOn(machine, TestMachines.Alice, "boot", TestMachines.Now, 30);

        machine.Status.ShouldBe(DEPLOYED);
        outcome.Power.ShouldBe(PowerRequest.On);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_START, "boot"),
            new NodeEvent(EventTypes.NODE, "boot", "power on"),
        ]);
    }

    [Fact]
    public void PowerOn_of_an_allocated_machine_starts_deploying_it()
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice);

        var outcome = MachineLifecycle.PowerOn(machine, TestMachines.Alice, null, TestMachines.Now, 30);

        machine.Status.ShouldBe(DEPLOYING);
        machine.StatusExpires.ShouldBe(TestMachines.Now.AddMinutes(30));
        outcome.Power.ShouldBe(PowerRequest.On);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.DEPLOYING));
    }

    [Fact]
    public void PowerOn_of_a_controller_needs_no_owner()
    {
        var rack = new Machine { SystemId = "rack1", Hostname = "rack1", NodeType = NodeType.RACK_CONTROLLER, Status = DEPLOYED };

        var outcome = MachineLifecycle.PowerOn(rack, TestMachines.Admin, null, TestMachines.Now, 30);

        outcome.Power.ShouldBe(PowerRequest.On);
    }

    [Theory]
    [InlineData(false, PowerRequest.Off)]
    [InlineData(true, PowerRequest.SoftOff)]
    public void PowerOff_asks_for_the_stop_mode_given(bool soft, PowerRequest expected)
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.On);

        var outcome = MachineLifecycle.PowerOff(machine, TestMachines.Alice, soft, "bye");

        machine.Status.ShouldBe(DEPLOYED);
        outcome.Power.ShouldBe(expected);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_STOP, "bye"),
            new NodeEvent(EventTypes.NODE, "bye", "power off"),
        ]);
    }

    [Fact]
    public void PowerOff_during_an_operation_says_to_abort_it()
    {
        var machine = TestMachines.In(DEPLOYING, TestMachines.Alice, PowerState.On);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.PowerOff(machine, TestMachines.Alice));

        error.Message.ShouldContain("abort");
    }

    [Fact]
    public void Another_user_may_not_power_on_an_owned_machine()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);

        Should.Throw<ForbiddenException>(() => MachineLifecycle.PowerOn(machine, TestMachines.Bob, null, TestMachines.Now, 30));
    }
}

using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class ReleaseTests
{
    private static Machine DeployedMachine(string powerState)
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, powerState);
        machine.AgentName = "juju";
        machine.Osystem = "ubuntu";
        machine.DistroSeries = "noble";
        machine.LicenseKey = "KEY";
        machine.HweKernel = "hwe-24.04";
        machine.EnableHwSync = true;
        machine.EphemeralDeploy = true;
        machine.Netboot = false;
        machine.WorkloadAnnotations["app"] = "db";
        return machine;
    }

    private static void ShouldBeForgotten(Machine machine)
    {
        machine.OwnerId.ShouldBeNull();
        machine.OwnerName.ShouldBeNull();
        machine.AgentName.ShouldBe("");
        machine.Osystem.ShouldBe("");
        machine.DistroSeries.ShouldBe("");
        machine.LicenseKey.ShouldBe("");
        machine.HweKernel.ShouldBeNull();
        machine.EnableHwSync.ShouldBeFalse();
        machine.EphemeralDeploy.ShouldBeFalse();
        machine.WorkloadAnnotations.ShouldBeEmpty();
        machine.StatusExpires.ShouldBeNull();
        machine.Netboot.ShouldBeTrue();
    }

    [Fact]
    public void Release_of_a_running_machine_powers_it_off_and_waits_in_releasing()
    {
        var machine = DeployedMachine(PowerState.On);

        var outcome = MachineLifecycle.Release(machine, TestMachines.Alice, new ReleaseOptions { Comment = "done" }, TestMachines.Now, 30);

        machine.Status.ShouldBe(RELEASING);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
        machine.StatusExpires.ShouldBe(TestMachines.Now.AddMinutes(5));
        outcome.Power.ShouldBe(PowerRequest.Off);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_RELEASE, "done"),
            new NodeEvent(EventTypes.NODE, "done", "release"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Deployed' to 'Releasing'"),
            new NodeEvent(EventTypes.RELEASING),
        ]);
    }

    [Fact]
    public void Release_of_a_machine_that_is_off_makes_it_ready_at_once()
    {
        var machine = DeployedMachine(PowerState.Off);

        var outcome = MachineLifecycle.Release(machine, TestMachines.Alice, new ReleaseOptions(), TestMachines.Now, 30);

        machine.Status.ShouldBe(READY);
        ShouldBeForgotten(machine);
        outcome.Power.ShouldBe(PowerRequest.None);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.RELEASED));
    }

    [Fact]
    public void Release_of_a_machine_whose_power_cannot_be_queried_makes_it_ready_and_still_asks_for_power_off()
    {
        var machine = DeployedMachine(PowerState.Unknown);

        var outcome = MachineLifecycle.Release(machine, TestMachines.Alice, new ReleaseOptions { PowerQueryable = false }, TestMachines.Now, 30);

        machine.Status.ShouldBe(READY);
        ShouldBeForgotten(machine);
        outcome.Power.ShouldBe(PowerRequest.Off);
    }

    [Theory]
    [InlineData(PowerState.On, PowerRequest.Cycle)]
    [InlineData(PowerState.Off, PowerRequest.On)]
    public void Release_with_erase_boots_the_machine_to_wipe_its_disks(string powerState, PowerRequest expected)
    {
        var machine = DeployedMachine(powerState);

        var outcome = MachineLifecycle.Release(machine, TestMachines.Alice, new ReleaseOptions { Erase = true }, TestMachines.Now, 40);

        machine.Status.ShouldBe(DISK_ERASING);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
        machine.StatusExpires.ShouldBe(TestMachines.Now.AddMinutes(40));
        outcome.Power.ShouldBe(expected);
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.REQUEST_NODE_ERASE_DISK));
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.ERASING_DISK));
    }

    [Theory]
    [InlineData(READY)]
    [InlineData(RELEASING)]
    public void Release_of_a_ready_or_releasing_machine_does_nothing(NodeStatus status)
    {
        var machine = TestMachines.In(status, status == RELEASING ? TestMachines.Alice : null, PowerState.On);

        var outcome = MachineLifecycle.Release(machine, TestMachines.Admin, new ReleaseOptions(), TestMachines.Now, 30);

        outcome.ShouldBe(LifecycleOutcome.Nothing);
        machine.Status.ShouldBe(status);
    }

    [Fact]
    public void Release_refusal_names_the_status()
    {
        var machine = TestMachines.In(NEW);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.Release(machine, TestMachines.Admin, new ReleaseOptions(), TestMachines.Now, 30));

        error.Message.ShouldBe("Machine cannot be released in its current state ('New').");
    }

    [Theory]
    [InlineData(RELEASING)]
    [InlineData(DISK_ERASING)]
    public void CompleteRelease_makes_the_machine_ready_and_forgets_its_owner(NodeStatus status)
    {
        var machine = DeployedMachine(PowerState.Off);
        machine.Status = status;
        machine.StatusExpires = TestMachines.Now;

        var outcome = MachineLifecycle.CompleteRelease(machine);

        machine.Status.ShouldBe(READY);
        ShouldBeForgotten(machine);
        outcome.Power.ShouldBe(PowerRequest.None);
        outcome.Events.Select(e => e.Type).ShouldBe([EventTypes.NODE_CHANGED_STATUS, EventTypes.RELEASED]);
    }

    [Fact]
    public void CompleteRelease_refuses_a_machine_that_is_not_releasing()
    {
        var machine = DeployedMachine(PowerState.Off);

        Should.Throw<ConflictException>(() => MachineLifecycle.CompleteRelease(machine));
        machine.Status.ShouldBe(DEPLOYED);
    }
}

using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class CommissionAndTestTests
{
    private static readonly CommissionOptions AllFlags = new()
    {
        EnableSsh = true,
        SkipBmcConfig = true,
        SkipNetworking = true,
        SkipStorage = true,
    };

    [Fact]
    public void Commission_boots_the_machine_for_the_admin_with_the_flags_kept()
    {
        var machine = TestMachines.In(READY);

        var outcome = MachineLifecycle.Commission(machine, TestMachines.Admin, AllFlags, TestMachines.Now, 30);

        machine.Status.ShouldBe(COMMISSIONING);
        machine.PreviousStatus.ShouldBe(READY);
        machine.OwnerId.ShouldBe(TestMachines.Admin.UserId);
        machine.EnableSsh.ShouldBeTrue();
        machine.SkipBmcConfig.ShouldBeTrue();
        machine.SkipNetworking.ShouldBeTrue();
        machine.SkipStorage.ShouldBeTrue();
        machine.StatusExpires.ShouldBe(TestMachines.Now.AddMinutes(30));
        outcome.Power.ShouldBe(PowerRequest.On);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_START_COMMISSIONING),
            new NodeEvent(EventTypes.NODE, "", "start commissioning"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Ready' to 'Commissioning'"),
            new NodeEvent(EventTypes.COMMISSIONING),
        ]);
    }

    [Fact]
    public void Commission_power_cycles_a_machine_that_is_on()
    {
        var machine = TestMachines.In(NEW, powerState: PowerState.On);

        var outcome = MachineLifecycle.Commission(machine, TestMachines.Admin, new CommissionOptions(), TestMachines.Now, 30);

        outcome.Power.ShouldBe(PowerRequest.Cycle);
    }

    [Fact]
    public void Commission_needs_a_power_type()
    {
        var machine = TestMachines.In(NEW);
        machine.PowerType = "";

        var error = Should.Throw<BadRequestException>(() => MachineLifecycle.Commission(machine, TestMachines.Admin, new CommissionOptions(), TestMachines.Now, 30));

        error.Message.ShouldBe("Unconfigured power type. Please configure the power type and try again.");
        machine.Status.ShouldBe(NEW);
    }

    [Fact]
    public void Commission_is_for_admins_only()
    {
        var machine = TestMachines.In(READY);

        Should.Throw<ForbiddenException>(() => MachineLifecycle.Commission(machine, TestMachines.Alice, new CommissionOptions(), TestMachines.Now, 30));
    }

    [Fact]
    public void Test_needs_a_power_type()
    {
        var machine = TestMachines.In(READY);
        machine.PowerType = "";

        Should.Throw<BadRequestException>(() => MachineLifecycle.Test(machine, TestMachines.Admin, enableSsh: false, TestMachines.Now, 30));
    }

    [Fact]
    public void Test_of_an_unowned_machine_gives_it_to_the_admin()
    {
        var machine = TestMachines.In(READY);

        var outcome = MachineLifecycle.Test(machine, TestMachines.Admin, enableSsh: true, TestMachines.Now, 20);

        machine.Status.ShouldBe(TESTING);
        machine.PreviousStatus.ShouldBe(READY);
        machine.OwnerId.ShouldBe(TestMachines.Admin.UserId);
        machine.EnableSsh.ShouldBeTrue();
        machine.StatusExpires.ShouldBe(TestMachines.Now.AddMinutes(20));
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.TESTING));
    }

    [Fact]
    public void Test_of_a_deployed_machine_keeps_its_owner()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.On);

        var outcome = MachineLifecycle.Test(machine, TestMachines.Admin, enableSsh: false, TestMachines.Now, 30);

        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
        machine.PreviousStatus.ShouldBe(DEPLOYED);
        outcome.Power.ShouldBe(PowerRequest.Cycle);
    }

    [Fact]
    public void Test_refusal_names_the_status()
    {
        var machine = TestMachines.In(DEPLOYING, TestMachines.Alice);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.Test(machine, TestMachines.Admin, enableSsh: false, TestMachines.Now, 30));

        error.Message.ShouldBe("Can't test a machine that is in the 'Deploying' state.");
    }
}

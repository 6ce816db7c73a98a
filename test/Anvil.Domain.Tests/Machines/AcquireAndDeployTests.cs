using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class AcquireAndDeployTests
{
    private static DeployOptions Noble(string? comment = null) => new()
    {
        Osystem = "ubuntu",
        DistroSeries = "noble",
        HweKernel = "hwe-24.04",
        AgentName = "juju",
        Comment = comment,
        EphemeralDeploy = true,
        EnableHwSync = true,
        EnableKernelCrashDump = true,
    };

    [Fact]
    public void Acquire_gives_a_ready_machine_to_the_caller()
    {
        var machine = TestMachines.In(READY);

        var outcome = MachineLifecycle.Acquire(machine, TestMachines.Alice, "juju-1", "for a model");

        machine.Status.ShouldBe(ALLOCATED);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
        machine.OwnerName.ShouldBe("alice");
        machine.AgentName.ShouldBe("juju-1");
        machine.PreviousStatus.ShouldBe(READY);
        outcome.Power.ShouldBe(PowerRequest.None);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_ACQUIRE, "for a model"),
            new NodeEvent(EventTypes.NODE, "for a model", "acquire"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Ready' to 'Allocated'"),
        ]);
    }

    [Fact]
    public void Acquire_refuses_a_machine_that_is_not_ready()
    {
        var machine = TestMachines.In(NEW);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.Acquire(machine, TestMachines.Alice));

        error.Message.ShouldBe("Can't allocate a machine that is in the 'New' state.");
    }

    [Fact]
    public void Deploy_of_a_ready_machine_allocates_it_to_the_caller_first()
    {
        var machine = TestMachines.In(READY);

        var outcome = MachineLifecycle.Deploy(machine, TestMachines.Alice, Noble("go"), TestMachines.Now, 30);

        machine.Status.ShouldBe(DEPLOYING);
        machine.PreviousStatus.ShouldBe(ALLOCATED);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
        machine.AgentName.ShouldBe("juju");
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_START_DEPLOYMENT, "go"),
            new NodeEvent(EventTypes.NODE, "go", "deploy"),
            new NodeEvent(EventTypes.REQUEST_NODE_ACQUIRE, "go"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Ready' to 'Allocated'"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Allocated' to 'Deploying'"),
            new NodeEvent(EventTypes.DEPLOYING),
        ]);
    }

    [Fact]
    public void Deploy_stores_the_deployment_settings_and_starts_the_timeout()
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice);

        MachineLifecycle.Deploy(machine, TestMachines.Alice, Noble(), TestMachines.Now, 45);

        machine.Osystem.ShouldBe("ubuntu");
        machine.DistroSeries.ShouldBe("noble");
        machine.HweKernel.ShouldBe("hwe-24.04");
        machine.EphemeralDeploy.ShouldBeTrue();
        machine.EnableHwSync.ShouldBeTrue();
        machine.EnableKernelCrashDump.ShouldBeTrue();
        machine.StatusExpires.ShouldBe(TestMachines.Now.AddMinutes(45));
    }

    [Fact]
    public void Deploy_keeps_the_agent_name_given_when_the_machine_was_allocated()
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice);
        machine.AgentName = "first";

        MachineLifecycle.Deploy(machine, TestMachines.Alice, Noble(), TestMachines.Now, 30);

        machine.AgentName.ShouldBe("first");
    }

    [Fact]
    public void Deploy_keeps_the_licence_key_and_kernel_when_none_is_given()
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice);
        machine.LicenseKey = "KEY";
        machine.HweKernel = "ga-22.04";

        MachineLifecycle.Deploy(machine, TestMachines.Alice, new DeployOptions { Osystem = "ubuntu", DistroSeries = "jammy" }, TestMachines.Now, 30);

        machine.LicenseKey.ShouldBe("KEY");
        machine.HweKernel.ShouldBe("ga-22.04");
    }

    [Theory]
    [InlineData(PowerState.Off, PowerRequest.On)]
    [InlineData(PowerState.Unknown, PowerRequest.On)]
    [InlineData(PowerState.On, PowerRequest.Cycle)]
    public void Deploy_boots_the_machine_into_the_installer(string powerState, PowerRequest expected)
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice, powerState);

        var outcome = MachineLifecycle.Deploy(machine, TestMachines.Alice, Noble(), TestMachines.Now, 30);

        outcome.Power.ShouldBe(expected);
    }

    [Fact]
    public void Deploy_refuses_a_ready_machine_reserved_for_another_user()
    {
        var machine = TestMachines.In(READY, TestMachines.Bob);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.Deploy(machine, TestMachines.Admin, Noble(), TestMachines.Now, 30));

        error.Message.ShouldBe("Can't allocate a machine belonging to another user.");
        machine.Status.ShouldBe(READY);
    }

    [Fact]
    public void Deploy_refuses_a_deployed_machine_like_MAAS()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.Deploy(machine, TestMachines.Alice, Noble(), TestMachines.Now, 30));

        error.Message.ShouldBe("Can't deploy a machine that is in the 'Deployed' state");
    }

    [Fact]
    public void An_admin_may_deploy_a_machine_allocated_to_someone_else()
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice);

        MachineLifecycle.Deploy(machine, TestMachines.Admin, Noble(), TestMachines.Now, 30);

        machine.Status.ShouldBe(DEPLOYING);
        machine.OwnerId.ShouldBe(TestMachines.Alice.UserId);
    }

    [Fact]
    public void A_user_may_not_deploy_a_machine_allocated_to_someone_else()
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice);

        Should.Throw<ForbiddenException>(() => MachineLifecycle.Deploy(machine, TestMachines.Bob, Noble(), TestMachines.Now, 30));
    }
}

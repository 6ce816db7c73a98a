using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class BrokenAndFixedTests
{
    [Fact]
    public void The_owner_may_mark_a_deployed_machine_broken_which_releases_it()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.On);
        machine.Osystem = "ubuntu";
        machine.WorkloadAnnotations["app"] = "db";

        var outcome = MachineLifecycle.MarkBroken(machine, TestMachines.Alice, "disk clicks");

        machine.Status.ShouldBe(BROKEN);
        machine.ErrorDescription.ShouldBe("disk clicks");
        machine.OwnerId.ShouldBeNull();
        machine.Osystem.ShouldBe("");
        machine.WorkloadAnnotations.ShouldBeEmpty();
        outcome.Power.ShouldBe(PowerRequest.Off);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_MARK_BROKEN, "disk clicks"),
            new NodeEvent(EventTypes.NODE, "disk clicks", "mark broken"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Deployed' to 'Broken'"),
        ]);
    }

    [Fact]
    public void Marking_a_commissioning_machine_broken_leaves_its_power_alone()
    {
        var machine = TestMachines.In(COMMISSIONING, TestMachines.Admin, PowerState.On);
        machine.StatusExpires = TestMachines.Now;

        var outcome = MachineLifecycle.MarkBroken(machine, TestMachines.Admin);

        machine.Status.ShouldBe(BROKEN);
        machine.StatusExpires.ShouldBeNull();
        machine.ErrorDescription.ShouldBe("");
        outcome.Power.ShouldBe(PowerRequest.None);
    }

    [Fact]
    public void A_user_may_not_mark_broken_a_machine_they_do_not_own_even_if_unowned()
    {
        var machine = TestMachines.In(READY);

        Should.Throw<ForbiddenException>(() => MachineLifecycle.MarkBroken(machine, TestMachines.Bob));
        machine.Status.ShouldBe(READY);
    }

    [Fact]
    public void An_admin_may_mark_an_unowned_machine_broken()
    {
        var machine = TestMachines.In(READY);

        MachineLifecycle.MarkBroken(machine, TestMachines.Admin, "bad RAM");

        machine.Status.ShouldBe(BROKEN);
    }

    [Fact]
    public void MarkBroken_refusal_names_the_status()
    {
        var machine = TestMachines.In(BROKEN);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.MarkBroken(machine, TestMachines.Admin));

        error.Message.ShouldBe("Can't mark a machine that is in the 'Broken' state as 'Broken'.");
    }

    [Fact]
    public void MarkFixed_makes_a_broken_machine_ready_and_clears_the_error()
    {
        var machine = TestMachines.In(BROKEN);
        machine.ErrorDescription = "bad RAM";
        machine.Osystem = "ubuntu";
        machine.DistroSeries = "noble";
        machine.HweKernel = "hwe-24.04";

        var outcome = MachineLifecycle.MarkFixed(machine, TestMachines.Admin, "replaced");

        machine.Status.ShouldBe(READY);
        machine.ErrorDescription.ShouldBe("");
        machine.Osystem.ShouldBe("");
        machine.DistroSeries.ShouldBe("");
        machine.HweKernel.ShouldBeNull();
        outcome.Events.ShouldContain(new NodeEvent(EventTypes.NODE, "replaced", "mark fixed"));
    }

    [Fact]
    public void MarkFixed_is_for_admins_only()
    {
        var machine = TestMachines.In(BROKEN);

        Should.Throw<ForbiddenException>(() => MachineLifecycle.MarkFixed(machine, TestMachines.Alice));
    }

    [Fact]
    public void MarkFixed_refusal_reads_like_MAAS()
    {
        var machine = TestMachines.In(READY);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.MarkFixed(machine, TestMachines.Admin));

        error.Message.ShouldBe("Can't mark a non-broken node as 'Ready'.");
    }
}

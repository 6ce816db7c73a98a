using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class FailureAndTimeoutTests
{
    private static Machine Running(NodeStatus status, DateTimeOffset? expires)
    {
        var machine = TestMachines.In(status, TestMachines.Alice, PowerState.On);
        machine.StatusExpires = expires;
        return machine;
    }

    [Fact]
    public void MarkFailed_moves_a_running_operation_to_its_failed_status()
    {
        var machine = Running(DEPLOYING, TestMachines.Now);

        var outcome = MachineLifecycle.MarkFailed(machine, "curtin failed");

        machine.Status.ShouldBe(FAILED_DEPLOYMENT);
        machine.ErrorDescription.ShouldBe("curtin failed");
        machine.StatusExpires.ShouldBeNull();
        outcome.Power.ShouldBe(PowerRequest.None);
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.REQUEST_NODE_MARK_FAILED_SYSTEM, "curtin failed"),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Deploying' to 'Failed deployment'"),
        ]);
    }

    [Theory]
    [MemberData(nameof(TestMachines.AllStatuses), MemberType = typeof(TestMachines))]
    public void MarkFailed_fails_monitored_statuses_ignores_failed_ones_and_refuses_the_rest(NodeStatus status)
    {
        var machine = Running(status, null);

        if (NodeStatusInfo.TryGetFailureStatus(status, out var failed))
        {
            MachineLifecycle.MarkFailed(machine, "boom");
            machine.Status.ShouldBe(failed);
        }
        else if (NodeStatusInfo.IsFailed(status))
        {
            MachineLifecycle.MarkFailed(machine, "boom").ShouldBe(LifecycleOutcome.Nothing);
            machine.Status.ShouldBe(status);
        }
        else
        {
            Should.Throw<ConflictException>(() => MachineLifecycle.MarkFailed(machine, "boom"));
            machine.Status.ShouldBe(status);
        }
    }

    [Fact]
    public void MarkFailed_refusal_reads_like_MAAS()
    {
        var machine = Running(READY, null);

        var error = Should.Throw<ConflictException>(() => MachineLifecycle.MarkFailed(machine, "boom"));

        error.Message.ShouldBe("The status of the node is Ready; this status cannot be transitioned to a corresponding failed status.");
    }

    [Fact]
    public void CheckTimeout_fails_an_operation_past_its_expiry()
    {
        var machine = Running(DEPLOYING, TestMachines.Now.AddSeconds(-1));

        var outcome = MachineLifecycle.CheckTimeout(machine, TestMachines.Now, 30);

        outcome.ShouldNotBeNull();
        machine.Status.ShouldBe(FAILED_DEPLOYMENT);
        machine.ErrorDescription.ShouldBe("Node operation 'Deploying' timed out after 30 minutes.");
        machine.StatusExpires.ShouldBeNull();
        outcome.Events.ShouldBe(
        [
            new NodeEvent(EventTypes.NODE_OPERATION_TIMED_OUT, "Node operation 'Deploying' timed out after 30 minutes."),
            new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Deploying' to 'Failed deployment'"),
        ]);
    }

    [Fact]
    public void CheckTimeout_fails_an_operation_exactly_at_its_expiry()
    {
        var machine = Running(COMMISSIONING, TestMachines.Now);

        MachineLifecycle.CheckTimeout(machine, TestMachines.Now, 30).ShouldNotBeNull();

        machine.Status.ShouldBe(FAILED_COMMISSIONING);
    }

    [Fact]
    public void CheckTimeout_leaves_an_operation_with_time_left()
    {
        var machine = Running(TESTING, TestMachines.Now.AddSeconds(1));

        MachineLifecycle.CheckTimeout(machine, TestMachines.Now, 30).ShouldBeNull();

        machine.Status.ShouldBe(TESTING);
    }

    [Fact]
    public void CheckTimeout_leaves_a_machine_without_expiry()
    {
        var machine = Running(DEPLOYING, null);

        MachineLifecycle.CheckTimeout(machine, TestMachines.Now, 30).ShouldBeNull();
    }

    [Fact]
    public void CheckTimeout_ignores_a_stale_expiry_on_a_settled_machine()
    {
        var machine = Running(DEPLOYED, TestMachines.Now.AddHours(-1));

        MachineLifecycle.CheckTimeout(machine, TestMachines.Now, 30).ShouldBeNull();

        machine.Status.ShouldBe(DEPLOYED);
    }

    [Theory]
    [InlineData(RELEASING, 45, "Node operation 'Releasing' timed out after 5 minutes.", FAILED_RELEASING)]
    [InlineData(EXITING_RESCUE_MODE, 45, "Node operation 'Exiting rescue mode' timed out after 5 minutes.", FAILED_EXITING_RESCUE_MODE)]
    [InlineData(DISK_ERASING, 45, "Node operation 'Disk erasing' timed out after 45 minutes.", FAILED_DISK_ERASING)]
    [InlineData(ENTERING_RESCUE_MODE, 10, "Node operation 'Entering rescue mode' timed out after 10 minutes.", FAILED_ENTERING_RESCUE_MODE)]
    [InlineData(TESTING, 30, "Node operation 'Testing' timed out after 30 minutes.", FAILED_TESTING)]
    public void CheckTimeout_names_the_operation_and_its_timeout(NodeStatus status, int nodeTimeout, string comment, NodeStatus failed)
    {
        var machine = Running(status, TestMachines.Now.AddMinutes(-1));

        MachineLifecycle.CheckTimeout(machine, TestMachines.Now, nodeTimeout);

        machine.Status.ShouldBe(failed);
        machine.ErrorDescription.ShouldBe(comment);
    }

    [Fact]
    public void A_deployment_times_out_node_timeout_minutes_after_it_started()
    {
        var machine = TestMachines.In(ALLOCATED, TestMachines.Alice);
        MachineLifecycle.Deploy(machine, TestMachines.Alice, new DeployOptions { Osystem = "ubuntu", DistroSeries = "noble" }, TestMachines.Now, 30);

        MachineLifecycle.CheckTimeout(machine, TestMachines.Now.AddMinutes(29), 30).ShouldBeNull();
        MachineLifecycle.CheckTimeout(machine, TestMachines.Now.AddMinutes(30), 30).ShouldNotBeNull();

        machine.Status.ShouldBe(FAILED_DEPLOYMENT);
    }

    [Fact]
    public void A_release_times_out_after_five_minutes_whatever_the_node_timeout()
    {
        var machine = TestMachines.In(DEPLOYED, TestMachines.Alice, PowerState.On);
        MachineLifecycle.Release(machine, TestMachines.Alice, new ReleaseOptions(), TestMachines.Now, 60);

        MachineLifecycle.CheckTimeout(machine, TestMachines.Now.AddMinutes(4), 60).ShouldBeNull();
        MachineLifecycle.CheckTimeout(machine, TestMachines.Now.AddMinutes(5), 60).ShouldNotBeNull();

        machine.Status.ShouldBe(FAILED_RELEASING);
    }
}

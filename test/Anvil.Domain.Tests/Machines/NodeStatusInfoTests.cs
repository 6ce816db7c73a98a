using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class NodeStatusInfoTests
{
    [Theory]
    [InlineData("new", NEW)]
    [InlineData("ready", READY)]
    [InlineData("failed_commissioning", FAILED_COMMISSIONING)]
    [InlineData("exiting_rescue_mode", EXITING_RESCUE_MODE)]
    [InlineData("failed_testing", FAILED_TESTING)]
    public void TryParseShortName_accepts_filter_names(string name, NodeStatus expected)
    {
        NodeStatusInfo.TryParseShortName(name, out var status).ShouldBeTrue();
        status.ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("default")]
    [InlineData("Ready")]
    [InlineData("READY")]
    [InlineData("Failed commissioning")]
    [InlineData("4")]
    public void TryParseShortName_refuses_what_MAAS_filters_refuse(string name) =>
        NodeStatusInfo.TryParseShortName(name, out _).ShouldBeFalse();

    [Theory]
    [MemberData(nameof(TestMachines.AllStatuses), MemberType = typeof(TestMachines))]
    public void Every_short_name_parses_back_to_its_status(NodeStatus status)
    {
        NodeStatusInfo.TryParseShortName(NodeStatusInfo.ShortName(status), out var parsed).ShouldBeTrue();
        parsed.ShouldBe(status);
    }

    [Theory]
    [InlineData(ALLOCATED, SimpleNodeStatus.ALLOCATED)]
    [InlineData(BROKEN, SimpleNodeStatus.BROKEN)]
    [InlineData(COMMISSIONING, SimpleNodeStatus.COMMISSIONING)]
    [InlineData(DEPLOYED, SimpleNodeStatus.DEPLOYED)]
    [InlineData(DEPLOYING, SimpleNodeStatus.DEPLOYING)]
    [InlineData(FAILED_COMMISSIONING, SimpleNodeStatus.FAILED)]
    [InlineData(FAILED_DEPLOYMENT, SimpleNodeStatus.FAILED)]
    [InlineData(FAILED_DISK_ERASING, SimpleNodeStatus.FAILED)]
    [InlineData(FAILED_ENTERING_RESCUE_MODE, SimpleNodeStatus.FAILED)]
    [InlineData(FAILED_EXITING_RESCUE_MODE, SimpleNodeStatus.FAILED)]
    [InlineData(FAILED_RELEASING, SimpleNodeStatus.FAILED)]
    [InlineData(FAILED_TESTING, SimpleNodeStatus.FAILED)]
    [InlineData(NEW, SimpleNodeStatus.NEW)]
    [InlineData(READY, SimpleNodeStatus.READY)]
    [InlineData(DISK_ERASING, SimpleNodeStatus.RELEASING)]
    [InlineData(RELEASING, SimpleNodeStatus.RELEASING)]
    [InlineData(ENTERING_RESCUE_MODE, SimpleNodeStatus.RESCUE_MODE)]
    [InlineData(EXITING_RESCUE_MODE, SimpleNodeStatus.RESCUE_MODE)]
    [InlineData(RESCUE_MODE, SimpleNodeStatus.RESCUE_MODE)]
    [InlineData(TESTING, SimpleNodeStatus.TESTING)]
    [InlineData(MISSING, SimpleNodeStatus.OTHER)]
    [InlineData(RESERVED, SimpleNodeStatus.OTHER)]
    [InlineData(RETIRED, SimpleNodeStatus.OTHER)]
    public void Simplify_maps_each_status_like_MAAS(NodeStatus status, SimpleNodeStatus expected) =>
        NodeStatusInfo.Simplify(status).ShouldBe(expected);

    [Fact]
    public void StatusesOf_inverts_Simplify()
    {
        NodeStatusInfo.StatusesOf(SimpleNodeStatus.RELEASING).ShouldBe([RELEASING, DISK_ERASING], ignoreOrder: true);
        NodeStatusInfo.StatusesOf(SimpleNodeStatus.OTHER).ShouldBe([MISSING, RESERVED, RETIRED], ignoreOrder: true);
        NodeStatusInfo.StatusesOf(SimpleNodeStatus.FAILED).Count.ShouldBe(7);
    }

    [Theory]
    [InlineData("rescue_mode", SimpleNodeStatus.RESCUE_MODE)]
    [InlineData("failed", SimpleNodeStatus.FAILED)]
    [InlineData("other", SimpleNodeStatus.OTHER)]
    public void TryParseSimpleShortName_accepts_filter_names(string name, SimpleNodeStatus expected)
    {
        NodeStatusInfo.TryParseSimpleShortName(name, out var status).ShouldBeTrue();
        status.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Rescue Mode")]
    [InlineData("failed_testing")]
    public void TryParseSimpleShortName_refuses_labels_and_full_statuses(string name) =>
        NodeStatusInfo.TryParseSimpleShortName(name, out _).ShouldBeFalse();

    [Fact]
    public void Allocated_statuses_are_MAAS_ALLOCATED_NODE_STATUSES()
    {
        var expected = new[] { 10, 9, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22 }.Select(v => (NodeStatus)v);

        NodeStatusInfo.AllocatedStatuses.ShouldBe(expected, ignoreOrder: true);
        NodeStatusInfo.IsAllocated(READY).ShouldBeFalse();
        NodeStatusInfo.IsAllocated(DEPLOYED).ShouldBeTrue();
    }

    [Theory]
    [InlineData(COMMISSIONING, FAILED_COMMISSIONING)]
    [InlineData(DEPLOYING, FAILED_DEPLOYMENT)]
    [InlineData(RELEASING, FAILED_RELEASING)]
    [InlineData(DISK_ERASING, FAILED_DISK_ERASING)]
    [InlineData(ENTERING_RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE)]
    [InlineData(EXITING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE)]
    [InlineData(TESTING, FAILED_TESTING)]
    public void Each_monitored_status_fails_into_its_failed_status(NodeStatus running, NodeStatus failed)
    {
        NodeStatusInfo.IsMonitored(running).ShouldBeTrue();
        NodeStatusInfo.TryGetFailureStatus(running, out var actual).ShouldBeTrue();
        actual.ShouldBe(failed);
        NodeStatusInfo.IsFailed(failed).ShouldBeTrue();
    }

    [Fact]
    public void Exactly_seven_statuses_are_monitored() =>
        NodeStatusInfo.MonitoredStatuses.ShouldBe(
            [COMMISSIONING, DEPLOYING, RELEASING, DISK_ERASING, ENTERING_RESCUE_MODE, EXITING_RESCUE_MODE, TESTING], ignoreOrder: true);

    [Theory]
    [MemberData(nameof(TestMachines.AllStatuses), MemberType = typeof(TestMachines))]
    public void Unmonitored_statuses_have_no_failure_status_and_no_timeout(NodeStatus status)
    {
        if (NodeStatusInfo.IsMonitored(status))
        {
            NodeStatusInfo.Timeout(status, 30).ShouldNotBeNull();
            return;
        }

        NodeStatusInfo.TryGetFailureStatus(status, out _).ShouldBeFalse();
        NodeStatusInfo.Timeout(status, 30).ShouldBeNull();
    }

    [Theory]
    [InlineData(COMMISSIONING, 45, 45)]
    [InlineData(DEPLOYING, 45, 45)]
    [InlineData(TESTING, 45, 45)]
    [InlineData(ENTERING_RESCUE_MODE, 45, 45)]
    [InlineData(DISK_ERASING, 45, 45)]
    [InlineData(RELEASING, 45, 5)]
    [InlineData(EXITING_RESCUE_MODE, 45, 5)]
    public void Timeout_uses_node_timeout_except_for_power_changes(NodeStatus status, int nodeTimeout, int expectedMinutes) =>
        NodeStatusInfo.Timeout(status, nodeTimeout).ShouldBe(TimeSpan.FromMinutes(expectedMinutes));
}

using Anvil.Domain.Machines;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Machines;

/// <summary>NodeStatus numbers are persisted and on the wire, and labels are what clients show and match on.</summary>
public sealed class NodeStatusGoldenTests
{
    private static readonly (int Value, string Name, string Label)[] Expected =
    [
        (0, "NEW", "New"),
        (1, "COMMISSIONING", "Commissioning"),
        (2, "FAILED_COMMISSIONING", "Failed commissioning"),
        (3, "MISSING", "Missing"),
        (4, "READY", "Ready"),
        (5, "RESERVED", "Reserved"),
        (6, "DEPLOYED", "Deployed"),
        (7, "RETIRED", "Retired"),
        (8, "BROKEN", "Broken"),
        (9, "DEPLOYING", "Deploying"),
        (10, "ALLOCATED", "Allocated"),
        (11, "FAILED_DEPLOYMENT", "Failed deployment"),
        (12, "RELEASING", "Releasing"),
        (13, "FAILED_RELEASING", "Releasing failed"),
        (14, "DISK_ERASING", "Disk erasing"),
        (15, "FAILED_DISK_ERASING", "Failed disk erasing"),
        (16, "RESCUE_MODE", "Rescue mode"),
        (17, "ENTERING_RESCUE_MODE", "Entering rescue mode"),
        (18, "FAILED_ENTERING_RESCUE_MODE", "Failed to enter rescue mode"),
        (19, "EXITING_RESCUE_MODE", "Exiting rescue mode"),
        (20, "FAILED_EXITING_RESCUE_MODE", "Failed to exit rescue mode"),
        (21, "TESTING", "Testing"),
        (22, "FAILED_TESTING", "Failed testing"),
    ];

    [Fact]
    public void Node_status_numbers_names_and_labels_are_frozen()
    {
        var actual = Enum.GetValues<NodeStatus>()
            .Select(s => ((int)s, s.ToString(), NodeStatusInfo.Label(s)))
            .ToArray();

        actual.ShouldBe(Expected);
    }

    [Fact]
    public void Short_names_are_the_lower_case_member_names()
    {
        var actual = Enum.GetValues<NodeStatus>().Select(NodeStatusInfo.ShortName).ToArray();

        actual.ShouldBe(Expected.Select(e => e.Name.ToLowerInvariant()).ToArray());
    }

    [Fact]
    public void Simplified_status_names_and_labels_are_frozen()
    {
        var actual = Enum.GetValues<SimpleNodeStatus>()
            .Select(s => (NodeStatusInfo.SimpleShortName(s), NodeStatusInfo.SimpleLabel(s)))
            .ToArray();

        actual.ShouldBe(
        [
            ("allocated", "Allocated"), ("broken", "Broken"), ("commissioning", "Commissioning"), ("deployed", "Deployed"),
            ("deploying", "Deploying"), ("failed", "Failed"), ("new", "New"), ("ready", "Ready"), ("releasing", "Releasing"),
            ("rescue_mode", "Rescue Mode"), ("testing", "Testing"), ("other", "Other"),
        ]);
    }
}

using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

public sealed class NodeTransitionsTests
{
    /// <summary>
    /// maas-api.md §5.2 written out as a matrix: row = from, column = to, both in NodeStatus
    /// number order (NEW, COMMISSIONING, FAILED_COMMISSIONING, MISSING, READY, RESERVED,
    /// DEPLOYED, RETIRED, BROKEN, DEPLOYING, ALLOCATED, FAILED_DEPLOYMENT, RELEASING,
    /// FAILED_RELEASING, DISK_ERASING, FAILED_DISK_ERASING, RESCUE_MODE, ENTERING_RESCUE_MODE,
    /// FAILED_ENTERING_RESCUE_MODE, EXITING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, TESTING,
    /// FAILED_TESTING); 'x' = allowed.
    /// </summary>
    private static readonly string[] Matrix =
    [
        ".x.xx..xx........x...x.", // NEW
        "x.xxx..xx............x.", // COMMISSIONING
        ".x.x...xx........x...x.", // FAILED_COMMISSIONING
        "xx..x...x.x......x...x.", // MISSING
        ".x.x.x.xx.x......x...x.", // READY
        "...xx..xx.x.x.x..x...x.", // RESERVED
        "...xx...x.x.x.x..x...x.", // DEPLOYED
        "x..xx...x........x...x.", // RETIRED
        ".x..x.x.....x.x..x...x.", // BROKEN
        "...xx.x.x.xxx.x........", // DEPLOYING
        "...xx..xxx..x.x..x...x.", // ALLOCATED
        "...xx...x.x.x.x..x...x.", // FAILED_DEPLOYMENT
        "x..xxxx.x.xx.x.x.......", // RELEASING
        "....x...x...x.x......x.", // FAILED_RELEASING
        "....x...x...x.xx.......", // DISK_ERASING
        "....x...x.x.x.x..x...x.", // FAILED_DISK_ERASING
        "........x..........x.x.", // RESCUE_MODE
        "....x.x.x.......x.xx...", // ENTERING_RESCUE_MODE
        "........x........x.x.x.", // FAILED_ENTERING_RESCUE_MODE
        "x.xxxxxxx.xx.x.xx.x.x.x", // EXITING_RESCUE_MODE
        "........x..........x.x.", // FAILED_EXITING_RESCUE_MODE
        "xx.xxxxxx.xx.x.x..x.x.x", // TESTING
        ".x.xx.x.x........x...x.", // FAILED_TESTING
    ];

    public static TheoryData<NodeStatus, NodeStatus, bool> AllPairs()
    {
        var data = new TheoryData<NodeStatus, NodeStatus, bool>();
        foreach (var from in Enum.GetValues<NodeStatus>())
        {
            foreach (var to in Enum.GetValues<NodeStatus>())
            {
                data.Add(from, to, Matrix[(int)from][(int)to] == 'x');
            }
        }

        return data;
    }

    [Fact]
    public void The_expected_matrix_covers_every_status()
    {
        var count = Enum.GetValues<NodeStatus>().Length;
        Matrix.Length.ShouldBe(count);
        Matrix.ShouldAllBe(row => row.Length == count);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsAllowed_matches_the_MAAS_table(NodeStatus from, NodeStatus to, bool allowed) =>
        NodeTransitions.IsAllowed(from, to).ShouldBe(allowed);

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Apply_moves_allowed_pairs_and_refuses_the_rest_with_409(NodeStatus from, NodeStatus to, bool allowed)
    {
        var machine = TestMachines.In(from);

        if (allowed)
        {
            NodeTransitions.Apply(machine, to);
            machine.Status.ShouldBe(to);
        }
        else
        {
            var error = Should.Throw<ConflictException>(() => NodeTransitions.Apply(machine, to));
            error.Message.ShouldBe($"Invalid transition: {NodeStatusInfo.Label(from)} -> {NodeStatusInfo.Label(to)}.");
            machine.Status.ShouldBe(from);
        }
    }

    [Fact]
    public void Apply_refusal_reads_like_MAAS()
    {
        var machine = TestMachines.In(READY);

        var error = Should.Throw<ConflictException>(() => NodeTransitions.Apply(machine, DEPLOYED));

        error.Message.ShouldBe("Invalid transition: Ready -> Deployed.");
    }

    [Fact]
    public void Nodes_can_be_created_new_missing_or_retired() =>
        NodeTransitions.InitialStatuses.ShouldBe([NEW, MISSING, RETIRED], ignoreOrder: true);

    [Fact]
    public void Apply_records_the_status_it_left()
    {
        var machine = TestMachines.In(READY);

        NodeTransitions.Apply(machine, TESTING);

        machine.PreviousStatus.ShouldBe(READY);
    }

    [Fact]
    public void Apply_keeps_the_previous_status_when_the_running_operation_fails()
    {
        var machine = TestMachines.In(DEPLOYED);
        NodeTransitions.Apply(machine, TESTING);

        NodeTransitions.Apply(machine, FAILED_TESTING);

        machine.PreviousStatus.ShouldBe(DEPLOYED);
    }

    [Fact]
    public void Apply_keeps_the_previous_status_across_rescue_mode_steps()
    {
        var machine = TestMachines.In(DEPLOYED);
        NodeTransitions.Apply(machine, ENTERING_RESCUE_MODE);
        NodeTransitions.Apply(machine, RESCUE_MODE);
        NodeTransitions.Apply(machine, EXITING_RESCUE_MODE);

        machine.PreviousStatus.ShouldBe(DEPLOYED);
    }

    [Fact]
    public void Apply_records_commissioning_as_previous_when_tests_follow_it()
    {
        var machine = TestMachines.In(COMMISSIONING);

        NodeTransitions.Apply(machine, TESTING);

        machine.PreviousStatus.ShouldBe(COMMISSIONING);
    }

    [Theory]
    [InlineData(NEW, false, READY)]
    [InlineData(COMMISSIONING, false, READY)]
    [InlineData(FAILED_DEPLOYMENT, false, READY)]
    [InlineData(MISSING, false, READY)]
    [InlineData(RETIRED, false, READY)]
    [InlineData(BROKEN, false, READY)]
    [InlineData(FAILED_RELEASING, false, READY)]
    [InlineData(FAILED_DISK_ERASING, false, READY)]
    [InlineData(FAILED_ENTERING_RESCUE_MODE, false, READY)]
    [InlineData(FAILED_EXITING_RESCUE_MODE, false, READY)]
    [InlineData(FAILED_TESTING, false, READY)]
    [InlineData(FAILED_COMMISSIONING, false, NEW)]
    [InlineData(READY, false, READY)]
    [InlineData(DEPLOYED, false, DEPLOYED)]
    [InlineData(ALLOCATED, false, ALLOCATED)]
    [InlineData(RESERVED, false, RESERVED)]
    [InlineData(READY, true, NEW)]
    [InlineData(DEPLOYED, true, NEW)]
    public void StatusAfterSuccessfulTesting_follows_MAAS(NodeStatus previous, bool enlisting, NodeStatus expected) =>
        NodeTransitions.StatusAfterSuccessfulTesting(previous, enlisting).ShouldBe(expected);
}

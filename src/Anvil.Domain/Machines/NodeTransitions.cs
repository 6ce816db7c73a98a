using System.Collections.Frozen;
using Anvil.Domain.Errors;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Machines;

/// <summary>
/// The status changes MAAS allows (maas-api.md §5.2). Every status change goes through
/// <see cref="Apply"/>, so a change the table does not list is refused like MAAS refuses it.
/// </summary>
public static class NodeTransitions
{
    /// <summary>The statuses a node may be created in.</summary>
    public static FrozenSet<NodeStatus> InitialStatuses { get; } = new[] { NEW, MISSING, RETIRED }.ToFrozenSet();

    private static readonly FrozenDictionary<NodeStatus, FrozenSet<NodeStatus>> Allowed = new Dictionary<NodeStatus, NodeStatus[]>
    {
        [NEW] = [COMMISSIONING, TESTING, MISSING, READY, RETIRED, BROKEN, ENTERING_RESCUE_MODE],
        [COMMISSIONING] = [FAILED_COMMISSIONING, READY, RETIRED, MISSING, NEW, BROKEN, TESTING],
        [FAILED_COMMISSIONING] = [COMMISSIONING, MISSING, RETIRED, BROKEN, ENTERING_RESCUE_MODE, TESTING],
        [READY] = [ENTERING_RESCUE_MODE, COMMISSIONING, ALLOCATED, RESERVED, RETIRED, MISSING, BROKEN, TESTING],
        [RESERVED] = [READY, ALLOCATED, RETIRED, MISSING, BROKEN, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING],
        [ALLOCATED] = [READY, RETIRED, MISSING, BROKEN, DEPLOYING, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING],
        [RELEASING] = [NEW, ALLOCATED, RESERVED, DEPLOYED, READY, BROKEN, MISSING, FAILED_DEPLOYMENT, FAILED_DISK_ERASING, FAILED_RELEASING],
        [DEPLOYING] = [ALLOCATED, MISSING, BROKEN, FAILED_DEPLOYMENT, DEPLOYED, READY, DISK_ERASING, RELEASING],
        [FAILED_DEPLOYMENT] = [ALLOCATED, MISSING, BROKEN, READY, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING],
        [DEPLOYED] = [ALLOCATED, MISSING, BROKEN, READY, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING],
        [MISSING] = [NEW, READY, ALLOCATED, COMMISSIONING, BROKEN, ENTERING_RESCUE_MODE, TESTING],
        [RETIRED] = [NEW, READY, MISSING, BROKEN, ENTERING_RESCUE_MODE, TESTING],
        [BROKEN] = [COMMISSIONING, READY, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING, DEPLOYED],
        [FAILED_RELEASING] = [RELEASING, DISK_ERASING, READY, BROKEN, TESTING],
        [DISK_ERASING] = [BROKEN, DISK_ERASING, FAILED_DISK_ERASING, READY, RELEASING],
        [FAILED_DISK_ERASING] = [DISK_ERASING, RELEASING, BROKEN, ALLOCATED, READY, ENTERING_RESCUE_MODE, TESTING],
        [ENTERING_RESCUE_MODE] = [READY, BROKEN, DEPLOYED, RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE, EXITING_RESCUE_MODE],
        [FAILED_ENTERING_RESCUE_MODE] = [BROKEN, ENTERING_RESCUE_MODE, EXITING_RESCUE_MODE, TESTING],
        [RESCUE_MODE] = [BROKEN, EXITING_RESCUE_MODE, TESTING],
        [EXITING_RESCUE_MODE] =
        [
            NEW, BROKEN, FAILED_COMMISSIONING, READY, RESERVED, ALLOCATED, FAILED_DEPLOYMENT, DEPLOYED, MISSING, RETIRED,
            FAILED_RELEASING, FAILED_DISK_ERASING, RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING,
        ],
        [FAILED_EXITING_RESCUE_MODE] = [BROKEN, EXITING_RESCUE_MODE, TESTING],
        [TESTING] =
        [
            BROKEN, NEW, READY, RESERVED, ALLOCATED, DEPLOYED, COMMISSIONING, FAILED_DEPLOYMENT, MISSING, RETIRED,
            FAILED_RELEASING, FAILED_DISK_ERASING, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING,
        ],
        [FAILED_TESTING] = [COMMISSIONING, BROKEN, MISSING, ENTERING_RESCUE_MODE, TESTING, READY, DEPLOYED],
    }.ToFrozenDictionary(e => e.Key, e => e.Value.ToFrozenSet());

    /// <summary>
    /// Previous statuses after which a successful test run ends in READY instead of going back
    /// (MAAS's NODE_TESTING_RESET_READY_TRANSITIONS).
    /// </summary>
    private static readonly FrozenSet<NodeStatus> TestingResetsToReady = new[]
    {
        NEW, COMMISSIONING, FAILED_DEPLOYMENT, MISSING, RETIRED, BROKEN, FAILED_RELEASING, FAILED_DISK_ERASING,
        FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING,
    }.ToFrozenSet();

    private static readonly FrozenSet<NodeStatus> RescueModeSteps = new[]
    {
        ENTERING_RESCUE_MODE, RESCUE_MODE, EXITING_RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE,
    }.ToFrozenSet();

    /// <summary>The statuses a node in <paramref name="from"/> may move to.</summary>
    public static FrozenSet<NodeStatus> AllowedFrom(NodeStatus from) =>
        Allowed.TryGetValue(from, out var targets) ? targets : FrozenSet<NodeStatus>.Empty;

    public static bool IsAllowed(NodeStatus from, NodeStatus to) => AllowedFrom(from).Contains(to);

    /// <summary>
    /// Moves the machine to <paramref name="to"/>, or throws <see cref="ConflictException"/>
    /// ("Invalid transition: Ready -> Deployed.") when the table does not allow it.
    /// </summary>
    /// <remarks>
    /// PreviousStatus keeps the last status the machine settled in before an operation, because
    /// aborting tests, overriding failed tests and leaving rescue mode all return there. So it is
    /// not overwritten when a running operation fails, nor while moving between rescue-mode steps.
    /// </remarks>
    public static void Apply(Machine machine, NodeStatus to)
    {
        var from = machine.Status;
        if (!IsAllowed(from, to))
        {
            throw new ConflictException($"Invalid transition: {NodeStatusInfo.Label(from)} -> {NodeStatusInfo.Label(to)}.");
        }

        var operationFailed = NodeStatusInfo.TryGetFailureStatus(from, out var failed) && failed == to;
        var withinRescueMode = RescueModeSteps.Contains(from) && RescueModeSteps.Contains(to);
        if (!operationFailed && !withinRescueMode)
        {
            machine.PreviousStatus = from;
        }

        machine.Status = to;
    }

    /// <summary>Where a machine goes when its tests pass (§5.2, last rule).</summary>
    public static NodeStatus StatusAfterSuccessfulTesting(NodeStatus previous, bool enlisting) =>
        enlisting || previous == FAILED_COMMISSIONING ? NEW
        : TestingResetsToReady.Contains(previous) ? READY
        : previous;
}

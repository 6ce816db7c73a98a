using System.Collections.Frozen;

namespace Anvil.Domain.Machines;

/// <summary>
/// What MAAS says about each <see cref="NodeStatus"/>: its label, its filter name, its
/// simplified status, whether it counts as allocated, and which running operations are
/// watched for timeouts and what they fail into (maas-api.md §5.1, §5.4).
/// </summary>
public static class NodeStatusInfo
{
    /// <summary>MAAS's default for the <c>node_timeout</c> config, in minutes.</summary>
    public const int DefaultNodeTimeoutMinutes = 30;

    /// <summary>Releasing and exiting rescue mode only wait for a power change, so they have a short fixed timeout.</summary>
    public const int PowerChangeTimeoutMinutes = 5;

    private static readonly FrozenDictionary<NodeStatus, string> Labels = new Dictionary<NodeStatus, string>
    {
        [NodeStatus.NEW] = "New",
        [NodeStatus.COMMISSIONING] = "Commissioning",
        [NodeStatus.FAILED_COMMISSIONING] = "Failed commissioning",
        [NodeStatus.MISSING] = "Missing",
        [NodeStatus.READY] = "Ready",
        [NodeStatus.RESERVED] = "Reserved",
        [NodeStatus.DEPLOYED] = "Deployed",
        [NodeStatus.RETIRED] = "Retired",
        [NodeStatus.BROKEN] = "Broken",
        [NodeStatus.DEPLOYING] = "Deploying",
        [NodeStatus.ALLOCATED] = "Allocated",
        [NodeStatus.FAILED_DEPLOYMENT] = "Failed deployment",
        [NodeStatus.RELEASING] = "Releasing",
        [NodeStatus.FAILED_RELEASING] = "Releasing failed",
        [NodeStatus.DISK_ERASING] = "Disk erasing",
        [NodeStatus.FAILED_DISK_ERASING] = "Failed disk erasing",
        [NodeStatus.RESCUE_MODE] = "Rescue mode",
        [NodeStatus.ENTERING_RESCUE_MODE] = "Entering rescue mode",
        [NodeStatus.FAILED_ENTERING_RESCUE_MODE] = "Failed to enter rescue mode",
        [NodeStatus.EXITING_RESCUE_MODE] = "Exiting rescue mode",
        [NodeStatus.FAILED_EXITING_RESCUE_MODE] = "Failed to exit rescue mode",
        [NodeStatus.TESTING] = "Testing",
        [NodeStatus.FAILED_TESTING] = "Failed testing",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<NodeStatus, string> ShortNames =
        Enum.GetValues<NodeStatus>().ToFrozenDictionary(s => s, s => s.ToString().ToLowerInvariant());

    private static readonly FrozenDictionary<string, NodeStatus> ByShortName =
        ShortNames.ToFrozenDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);

    private static readonly FrozenDictionary<SimpleNodeStatus, string> SimpleLabels = new Dictionary<SimpleNodeStatus, string>
    {
        [SimpleNodeStatus.ALLOCATED] = "Allocated",
        [SimpleNodeStatus.BROKEN] = "Broken",
        [SimpleNodeStatus.COMMISSIONING] = "Commissioning",
        [SimpleNodeStatus.DEPLOYED] = "Deployed",
        [SimpleNodeStatus.DEPLOYING] = "Deploying",
        [SimpleNodeStatus.FAILED] = "Failed",
        [SimpleNodeStatus.NEW] = "New",
        [SimpleNodeStatus.READY] = "Ready",
        [SimpleNodeStatus.RELEASING] = "Releasing",
        [SimpleNodeStatus.RESCUE_MODE] = "Rescue Mode",
        [SimpleNodeStatus.TESTING] = "Testing",
        [SimpleNodeStatus.OTHER] = "Other",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<NodeStatus, SimpleNodeStatus> Simplified = new Dictionary<NodeStatus, SimpleNodeStatus>
    {
        [NodeStatus.ALLOCATED] = SimpleNodeStatus.ALLOCATED,
        [NodeStatus.BROKEN] = SimpleNodeStatus.BROKEN,
        [NodeStatus.COMMISSIONING] = SimpleNodeStatus.COMMISSIONING,
        [NodeStatus.DEPLOYED] = SimpleNodeStatus.DEPLOYED,
        [NodeStatus.DEPLOYING] = SimpleNodeStatus.DEPLOYING,
        [NodeStatus.FAILED_COMMISSIONING] = SimpleNodeStatus.FAILED,
        [NodeStatus.FAILED_DEPLOYMENT] = SimpleNodeStatus.FAILED,
        [NodeStatus.FAILED_DISK_ERASING] = SimpleNodeStatus.FAILED,
        [NodeStatus.FAILED_ENTERING_RESCUE_MODE] = SimpleNodeStatus.FAILED,
        [NodeStatus.FAILED_EXITING_RESCUE_MODE] = SimpleNodeStatus.FAILED,
        [NodeStatus.FAILED_RELEASING] = SimpleNodeStatus.FAILED,
        [NodeStatus.FAILED_TESTING] = SimpleNodeStatus.FAILED,
        [NodeStatus.NEW] = SimpleNodeStatus.NEW,
        [NodeStatus.READY] = SimpleNodeStatus.READY,
        [NodeStatus.DISK_ERASING] = SimpleNodeStatus.RELEASING,
        [NodeStatus.RELEASING] = SimpleNodeStatus.RELEASING,
        [NodeStatus.ENTERING_RESCUE_MODE] = SimpleNodeStatus.RESCUE_MODE,
        [NodeStatus.EXITING_RESCUE_MODE] = SimpleNodeStatus.RESCUE_MODE,
        [NodeStatus.RESCUE_MODE] = SimpleNodeStatus.RESCUE_MODE,
        [NodeStatus.TESTING] = SimpleNodeStatus.TESTING,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<SimpleNodeStatus, FrozenSet<NodeStatus>> BySimpleStatus =
        Enum.GetValues<SimpleNodeStatus>().ToFrozenDictionary(
            simple => simple,
            simple => Enum.GetValues<NodeStatus>().Where(s => Simplify(s) == simple).ToFrozenSet());

    private static readonly FrozenDictionary<string, SimpleNodeStatus> SimpleByShortName =
        Enum.GetValues<SimpleNodeStatus>().ToFrozenDictionary(s => s.ToString().ToLowerInvariant(), s => s, StringComparer.Ordinal);

    /// <summary>Statuses in which a machine belongs to its owner (MAAS's ALLOCATED_NODE_STATUSES).</summary>
    public static FrozenSet<NodeStatus> AllocatedStatuses { get; } = new[]
    {
        NodeStatus.ALLOCATED, NodeStatus.DEPLOYING, NodeStatus.DEPLOYED, NodeStatus.FAILED_DEPLOYMENT,
        NodeStatus.RELEASING, NodeStatus.FAILED_RELEASING, NodeStatus.DISK_ERASING, NodeStatus.FAILED_DISK_ERASING,
        NodeStatus.RESCUE_MODE, NodeStatus.ENTERING_RESCUE_MODE, NodeStatus.FAILED_ENTERING_RESCUE_MODE,
        NodeStatus.EXITING_RESCUE_MODE, NodeStatus.FAILED_EXITING_RESCUE_MODE, NodeStatus.TESTING, NodeStatus.FAILED_TESTING,
    }.ToFrozenSet();

    private static readonly FrozenDictionary<NodeStatus, NodeStatus> FailureOf = new Dictionary<NodeStatus, NodeStatus>
    {
        [NodeStatus.COMMISSIONING] = NodeStatus.FAILED_COMMISSIONING,
        [NodeStatus.DEPLOYING] = NodeStatus.FAILED_DEPLOYMENT,
        [NodeStatus.RELEASING] = NodeStatus.FAILED_RELEASING,
        [NodeStatus.DISK_ERASING] = NodeStatus.FAILED_DISK_ERASING,
        [NodeStatus.ENTERING_RESCUE_MODE] = NodeStatus.FAILED_ENTERING_RESCUE_MODE,
        [NodeStatus.EXITING_RESCUE_MODE] = NodeStatus.FAILED_EXITING_RESCUE_MODE,
        [NodeStatus.TESTING] = NodeStatus.FAILED_TESTING,
    }.ToFrozenDictionary();

    /// <summary>Statuses of a running operation, watched by the status monitor; each has a failure status.</summary>
    public static FrozenSet<NodeStatus> MonitoredStatuses { get; } = FailureOf.Keys.ToFrozenSet();

    /// <summary>The failure statuses the monitored statuses fall into.</summary>
    public static FrozenSet<NodeStatus> FailedStatuses { get; } = FailureOf.Values.ToFrozenSet();

    /// <summary>The <c>status_name</c> MAAS shows, e.g. "Failed commissioning".</summary>
    public static string Label(NodeStatus status) =>
        Labels.TryGetValue(status, out var label) ? label : throw UnknownStatus(status);

    /// <summary>The lower-case name used by the <c>status</c> filters, e.g. "failed_commissioning".</summary>
    public static string ShortName(NodeStatus status) =>
        ShortNames.TryGetValue(status, out var name) ? name : throw UnknownStatus(status);

    /// <summary>Parses a filter name exactly as MAAS accepts it (lower case; "default" is not accepted).</summary>
    public static bool TryParseShortName(string name, out NodeStatus status) => ByShortName.TryGetValue(name, out status);

    public static SimpleNodeStatus Simplify(NodeStatus status) =>
        Simplified.TryGetValue(status, out var simple) ? simple : SimpleNodeStatus.OTHER;

    /// <summary>The simplified status label, e.g. "Rescue Mode".</summary>
    public static string SimpleLabel(SimpleNodeStatus status) =>
        SimpleLabels.TryGetValue(status, out var label) ? label : throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown simplified status.");

    /// <summary>The lower-case name used by the <c>simple_status</c> filters, e.g. "rescue_mode".</summary>
    public static string SimpleShortName(SimpleNodeStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParseSimpleShortName(string name, out SimpleNodeStatus status) =>
        SimpleByShortName.TryGetValue(name, out status);

    /// <summary>The statuses a simplified status stands for; OTHER stands for those no other one covers.</summary>
    public static FrozenSet<NodeStatus> StatusesOf(SimpleNodeStatus status) => BySimpleStatus[status];

    public static bool IsAllocated(NodeStatus status) => AllocatedStatuses.Contains(status);

    public static bool IsMonitored(NodeStatus status) => FailureOf.ContainsKey(status);

    public static bool IsFailed(NodeStatus status) => FailedStatuses.Contains(status);

    /// <summary>The status a running operation falls into when it fails; false when the status is not monitored.</summary>
    public static bool TryGetFailureStatus(NodeStatus status, out NodeStatus failed) => FailureOf.TryGetValue(status, out failed);

    /// <summary>How long a monitored status may last before the machine is marked failed; null when not monitored.</summary>
    public static TimeSpan? Timeout(NodeStatus status, int nodeTimeoutMinutes) => status switch
    {
        NodeStatus.RELEASING or NodeStatus.EXITING_RESCUE_MODE => TimeSpan.FromMinutes(PowerChangeTimeoutMinutes),
        NodeStatus.COMMISSIONING or NodeStatus.DEPLOYING or NodeStatus.TESTING
            or NodeStatus.ENTERING_RESCUE_MODE or NodeStatus.DISK_ERASING => TimeSpan.FromMinutes(nodeTimeoutMinutes),
        _ => null,
    };

    private static ArgumentOutOfRangeException UnknownStatus(NodeStatus status) =>
        new(nameof(status), status, "Unknown node status.");
}

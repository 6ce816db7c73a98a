using Anvil.Domain.Machines;

namespace Anvil.Domain.Allocation;

/// <summary>MAAS's simplified statuses (the <c>simple_status</c> filter), §5.1.</summary>
public static class SimpleStatus
{
    private static readonly Dictionary<string, NodeStatus[]> Map = new(StringComparer.Ordinal)
    {
        ["allocated"] = [NodeStatus.ALLOCATED],
        ["broken"] = [NodeStatus.BROKEN],
        ["commissioning"] = [NodeStatus.COMMISSIONING],
        ["deployed"] = [NodeStatus.DEPLOYED],
        ["deploying"] = [NodeStatus.DEPLOYING],
        ["failed"] =
        [
            NodeStatus.FAILED_COMMISSIONING, NodeStatus.FAILED_DEPLOYMENT, NodeStatus.FAILED_DISK_ERASING,
            NodeStatus.FAILED_ENTERING_RESCUE_MODE, NodeStatus.FAILED_EXITING_RESCUE_MODE,
            NodeStatus.FAILED_RELEASING, NodeStatus.FAILED_TESTING,
        ],
        ["new"] = [NodeStatus.NEW],
        ["ready"] = [NodeStatus.READY],
        ["releasing"] = [NodeStatus.DISK_ERASING, NodeStatus.RELEASING],
        ["rescue_mode"] = [NodeStatus.ENTERING_RESCUE_MODE, NodeStatus.EXITING_RESCUE_MODE, NodeStatus.RESCUE_MODE],
        ["testing"] = [NodeStatus.TESTING],
    };

    private static readonly NodeStatus[] Other =
        [.. Enum.GetValues<NodeStatus>().Where(s => !Map.Values.Any(v => v.Contains(s)))];

    /// <summary>
    /// The statuses a simplified status stands for. Accepts the lower-case name (<c>rescue_mode</c>)
    /// or the label (<c>Rescue Mode</c>), case-insensitively; null if unknown.
    /// </summary>
    public static IReadOnlyList<NodeStatus>? Statuses(string name)
    {
        var key = name.Trim().ToLowerInvariant().Replace(' ', '_');
        if (key == "other")
            return Other;
        return Map.TryGetValue(key, out var statuses) ? statuses : null;
    }
}

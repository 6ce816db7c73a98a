namespace Anvil.Domain.Scripts;

/// <summary>
/// One result of a node's current commissioning or testing set, as the machine's status summary
/// needs it; the hardware type is the script's, null when the script is gone.
/// </summary>
public readonly record struct NodeScriptResult(ResultType ResultType, HardwareType? HardwareType, ScriptStatus Status, bool Suppressed);

/// <summary>
/// The machine object's <c>commissioning_status</c>, <c>testing_status</c> and per-hardware test
/// statuses (maas-api.md §4): each is the overall status of a group of results, −1 when the group
/// is empty.
/// </summary>
public sealed record NodeScriptStatuses(int Commissioning, int Testing, int Cpu, int Memory, int Network, int Storage, int Other, int Interface)
{
    public static NodeScriptStatuses None { get; } = new(-1, -1, -1, -1, -1, -1, -1, -1);

    /// <summary>
    /// MAAS leaves aborted results out entirely, so a replaced run does not show as a problem;
    /// <c>interface_test_status</c> groups network scripts, as MAAS does.
    /// </summary>
    public static NodeScriptStatuses Of(IEnumerable<NodeScriptResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var counted = results.Where(r => r.Status != ScriptStatus.Aborted).ToList();
        var testing = counted.Where(r => r.ResultType == ResultType.Testing).ToList();
        int Tests(HardwareType type) => ScriptStatusSummary.Group(testing.Where(r => r.HardwareType == type).ToList());
        return new NodeScriptStatuses(
            ScriptStatusSummary.Group(counted.Where(r => r.ResultType == ResultType.Commissioning).ToList()),
            ScriptStatusSummary.Group(testing),
            Tests(HardwareType.Cpu),
            Tests(HardwareType.Memory),
            Tests(HardwareType.Network),
            Tests(HardwareType.Storage),
            Tests(HardwareType.Node),
            Tests(HardwareType.Network));
    }
}

/// <summary>MAAS's rules for summing up script results into one status.</summary>
public static class ScriptStatusSummary
{
    /// <summary>The status of no results at all.</summary>
    public const int NoResults = -1;

    // Precedence, highest first: anything still running, then pending, aborted, every kind of
    // failure, degraded; only a set without any of these passed (so skipped counts as passed).
    private static readonly ScriptStatus[] Precedence =
    [
        ScriptStatus.Running, ScriptStatus.ApplyingNetconf, ScriptStatus.Installing, ScriptStatus.Pending, ScriptStatus.Aborted,
        ScriptStatus.Failed, ScriptStatus.FailedApplyingNetconf, ScriptStatus.FailedInstalling, ScriptStatus.TimedOut, ScriptStatus.Degraded,
    ];

    /// <summary>MAAS's get_overall_status: the highest-precedence status present, the running and failed kinds folded into Running and Failed.</summary>
    public static ScriptStatus Overall(IEnumerable<ScriptStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var present = statuses.ToHashSet();
        foreach (var status in Precedence)
        {
            if (!present.Contains(status))
                continue;
            return status switch
            {
                ScriptStatus.ApplyingNetconf or ScriptStatus.Installing => ScriptStatus.Running,
                ScriptStatus.FailedApplyingNetconf or ScriptStatus.FailedInstalling or ScriptStatus.TimedOut => ScriptStatus.Failed,
                _ => status,
            };
        }

        return ScriptStatus.Passed;
    }

    /// <summary>
    /// MAAS's get_status_from_qs: −1 for no results; otherwise the overall status of the results
    /// that are not suppressed (all suppressed: passed).
    /// </summary>
    public static int Group(IReadOnlyCollection<NodeScriptResult> results) =>
        results.Count == 0 ? NoResults : (int)Overall(results.Where(r => !r.Suppressed).Select(r => r.Status));
}

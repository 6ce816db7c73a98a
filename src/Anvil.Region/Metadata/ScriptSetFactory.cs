using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;
using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// Creates the script set an operation runs, with one pending result per script, and makes it
/// the node's current set of its type (maas-api.md §7.3–7.4; MAAS's ScriptSetManager).
/// </summary>
internal static class ScriptSetFactory
{
    /// <summary>The selector that keeps commissioning to the built-in scripts.</summary>
    public const string None = "none";

    /// <summary>
    /// Commissioning: every built-in commissioning script plus what was requested; with nothing
    /// requested, every commissioning script that is not for specific hardware nor tagged
    /// <c>noauto</c>; with <c>none</c>, the built-in ones only.
    /// </summary>
    public static async Task<long> CreateCommissioningAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, string powerState, IReadOnlyList<string> requested, CancellationToken ct)
    {
        var tags = await RequestedTagsAsync(c, tx, requested, ct);
        IReadOnlyList<ScriptRecord> scripts;
        if (requested.Count == 0)
        {
            scripts = await ScriptCatalog.DefaultCommissioningAsync(c, tx, ct);
        }
        else
        {
            var builtin = await ScriptCatalog.BuiltinNamesAsync(c, tx, ct);
            var selectors = requested.Contains(None, StringComparer.Ordinal) ? builtin : [.. builtin, .. requested];
            scripts = await ApplicableAsync(c, tx, nodeId, await ScriptCatalog.SelectAsync(c, tx, ScriptType.Commissioning, selectors, ct), ct);
        }

        var setId = await ScriptSetStore.CreateAsync(c, tx, nodeId, ResultType.Commissioning, powerState, tags, requested, ct);
        await AddAsync(c, tx, setId, scripts, ct);
        await ScriptSetStore.RetireEarlierAsync(c, tx, nodeId, ResultType.Commissioning, setId, ct);
        await ScriptSetStore.SetCurrentAsync(c, tx, nodeId, ResultType.Commissioning, setId, ct);
        return setId;
    }

    /// <summary>
    /// Testing: the requested testing scripts, or those tagged <c>commissioning</c>. When none
    /// match, null and no set: commissioning then runs without tests after it, and so does a
    /// test run that asked for the defaults while no testing script is tagged <c>commissioning</c>
    /// (MAAS refuses that case; Anvil lets it run empty so testing works before any test is
    /// installed). Explicitly requested scripts that match nothing are refused.
    /// </summary>
    public static async Task<long?> CreateTestingAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, string powerState, IReadOnlyList<string> requested, bool refuseWhenEmpty, CancellationToken ct)
    {
        IReadOnlyList<string> selectors = requested.Count > 0 ? requested : ["commissioning"];
        var candidates = await ScriptCatalog.SelectAsync(c, tx, ScriptType.Testing, selectors, ct);
        var scripts = await ApplicableAsync(c, tx, nodeId, candidates, ct);
        if (scripts.Count == 0)
        {
            return refuseWhenEmpty && requested.Count > 0
                ? throw new ValidationException("testing_scripts", $"No testing scripts found matching: {string.Join(", ", requested)}.")
                : null;
        }

        var setId = await ScriptSetStore.CreateAsync(c, tx, nodeId, ResultType.Testing, powerState, await RequestedTagsAsync(c, tx, selectors, ct), requested, ct);
        await AddAsync(c, tx, setId, scripts, ct);
        await ScriptSetStore.RetireEarlierAsync(c, tx, nodeId, ResultType.Testing, setId, ct);
        await ScriptSetStore.SetCurrentAsync(c, tx, nodeId, ResultType.Testing, setId, ct);
        return setId;
    }

    /// <summary>Release: the requested release scripts (e.g. <c>wipe-disks</c>); null and no set when none exist.</summary>
    public static async Task<long?> CreateReleaseAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, string powerState, IReadOnlyList<string> requested, IReadOnlyDictionary<string, bool> values, CancellationToken ct)
    {
        if (requested.Count == 0)
            return null;
        var scripts = await ApplicableAsync(c, tx, nodeId, await ScriptCatalog.SelectAsync(c, tx, ScriptType.Release, requested, ct), ct);
        if (scripts.Count == 0)
            return null;
        var setId = await ScriptSetStore.CreateAsync(c, tx, nodeId, ResultType.Release, powerState, await RequestedTagsAsync(c, tx, requested, ct), requested, ct);
        await AddAsync(c, tx, setId, scripts, ct, values);
        await ScriptSetStore.RetireEarlierAsync(c, tx, nodeId, ResultType.Release, setId, ct);
        await ScriptSetStore.SetCurrentAsync(c, tx, nodeId, ResultType.Release, setId, ct);
        return setId;
    }

    /// <summary>
    /// A set whose node reports results for a run Anvil did not prepare (e.g. an installation log
    /// while deploying): made on first need, empty, and current.
    /// </summary>
    public static async Task<long> CreateEmptyAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, ResultType type, string powerState, CancellationToken ct)
    {
        var setId = await ScriptSetStore.CreateAsync(c, tx, nodeId, type, powerState, [], [], ct);
        await ScriptSetStore.SetCurrentAsync(c, tx, nodeId, type, setId, ct);
        return setId;
    }

    /// <summary>
    /// Once commissioning output has arrived, the set's for_hardware scripts are brought in line
    /// with the hardware: pending ones that no longer apply go, and those sharing a requested tag
    /// that now apply join (MAAS's select_for_hardware_scripts).
    /// </summary>
    public static async Task SelectForHardwareAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, ScriptSetRecord set, CancellationToken ct)
    {
        var results = await ScriptResultStore.ListAsync(c, tx, set.Id, ct);
        var scripts = await ScriptCatalog.ByIdsAsync(c, tx, results.Select(r => r.ScriptId).OfType<long>().Distinct().ToArray(), ct);
        foreach (var result in results.Where(r => r.Status == ScriptStatus.Pending && r.ScriptId is not null))
        {
            if (scripts.TryGetValue(result.ScriptId!.Value, out var script) && script.ForHardware.Length > 0
                && !await ScriptSelection.AppliesToNodeAsync(c, tx, nodeId, script, ct))
            {
                await ScriptResultStore.DeleteAsync(c, tx, result.Id, ct);
            }
        }

        if (set.Tags.Length == 0)
            return;
        var type = set.ResultType == ResultType.Commissioning ? ScriptType.Commissioning : ScriptType.Testing;
        var present = results.Select(r => r.ScriptName).ToArray();
        var candidates = await ScriptCatalog.ForHardwareCandidatesAsync(c, tx, type, set.Tags, present, ct);
        await AddAsync(c, tx, set.Id, await ApplicableAsync(c, tx, nodeId, candidates, ct), ct);
    }

    private static async Task AddAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long setId, IReadOnlyList<ScriptRecord> scripts, CancellationToken ct, IReadOnlyDictionary<string, bool>? values = null)
    {
        foreach (var script in scripts)
        {
            var parameters = ScriptParameters.Defaults(script);
            foreach (var (name, value) in values ?? new Dictionary<string, bool>())
            {
                if (parameters[name] is System.Text.Json.Nodes.JsonObject declared)
                    declared["value"] = value;
            }

            await ScriptResultStore.AddPendingAsync(c, tx, setId, script, parameters.ToJsonString(), ct);
        }
    }

    private static async Task<IReadOnlyList<ScriptRecord>> ApplicableAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, IReadOnlyList<ScriptRecord> scripts, CancellationToken ct)
    {
        var applicable = new List<ScriptRecord>(scripts.Count);
        foreach (var script in scripts)
        {
            if (script.ForHardware.Length == 0 || await ScriptSelection.AppliesToNodeAsync(c, tx, nodeId, script, ct))
                applicable.Add(script);
        }

        return applicable;
    }

    /// <summary>The requested selectors that are script tags (MAAS keeps them on the set).</summary>
    private static async Task<IReadOnlyList<string>> RequestedTagsAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<string> requested, CancellationToken ct)
    {
        if (requested.Count == 0)
            return [];
        var tags = await ScriptCatalog.AllTagsAsync(c, tx, ct);
        return requested.Where(tags.Contains).Distinct(StringComparer.Ordinal).ToArray();
    }
}

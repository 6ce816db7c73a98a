using System.Text;
using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Data.Machines;
using Anvil.Data.Metadata;
using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Netplan;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Interfaces;
using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// The <c>maas-scripts</c> tar (maas-api.md §7.4): each script to run at
/// <c>&lt;section&gt;/&lt;name&gt;</c> (0755), what a started script already reported under
/// <c>out/</c>, the machine's netplan for scripts that apply the configured network, and
/// <c>index.json</c> (0644) describing them.
/// </summary>
internal sealed class ScriptsTar(Database db, ConfigStore config, TimeProvider time)
{
    /// <summary>Outside the scripts directory, where MAAS's runner looks for it.</summary>
    public const string NetplanPath = "../config/netplan.yaml";

    /// <summary>The node's tar, or null when it has nothing to run (204).</summary>
    public Task<byte[]?> ForNodeAsync(NodeKey key, CancellationToken ct) =>
        db.InTransactionAsync(
            async (c, tx) =>
            {
                var machine = await MachineStore.LockAsync(c, tx, key.SystemId, ct) ?? throw new ForbiddenException(NodeAuthenticator.UnknownNode);
                var sets = await ScriptSetStore.CurrentAsync(c, tx, machine.Id, ct);
                using var tar = new TarArchive(time.GetUtcNow());
                var index = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
                var status = machine.Status;
                if (status is NodeStatus.COMMISSIONING or NodeStatus.DEPLOYED or NodeStatus.ENTERING_RESCUE_MODE or NodeStatus.RESCUE_MODE
                    && sets.Commissioning is { } commissioning)
                {
                    // The runner fetches the tar again once the built-in scripts reported: what they
                    // found may bring in scripts for specific hardware.
                    if (await ScriptSetStore.GetAsync(c, tx, commissioning, ct) is { } set
                        && (await ScriptResultStore.ListAsync(c, tx, commissioning, ct)).Any(r => r.Status != ScriptStatus.Pending))
                    {
                        await ScriptSetFactory.SelectForHardwareAsync(c, tx, machine.Id, set, ct);
                    }

                    await AddSetAsync(c, tx, machine, commissioning, "commissioning", tar, index, includeFinished: status == NodeStatus.DEPLOYED, ct);
                }

                if (status is NodeStatus.RELEASING or NodeStatus.DISK_ERASING)
                {
                    if (sets.Release is { } release)
                        await AddSetAsync(c, tx, machine, release, "release", tar, index, includeFinished: false, ct);
                }
                else if (status == NodeStatus.DEPLOYING)
                {
                    if (sets.Installation is { } installation)
                        await AddSetAsync(c, tx, machine, installation, "deployment", tar, index, includeFinished: false, ct);
                }
                else if (sets.Testing is { } testing)
                {
                    await StorageExpansion.ExpandAsync(c, tx, machine.Id, testing, ct);
                    await AddSetAsync(c, tx, machine, testing, "testing", tar, index, includeFinished: false, ct);
                }

                if (index.Count == 0)
                    return null;
                var sorted = index.ToDictionary(
                    e => e.Key,
                    e => (object)e.Value.OrderBy(i => (string)i["name"]!, StringComparer.Ordinal).ThenBy(i => (long)i["script_result_id"]!).ToList());
                tar.Add("index.json", IndexJson(sorted), TarArchive.Regular);
                return tar.ToArray();
            },
            ct);

    /// <summary>
    /// What an unknown machine runs while enlisting, without result ids (it has no node yet):
    /// the scripts <see cref="ScriptCatalog.EnlistmentAsync"/> picks, with default parameters.
    /// </summary>
    public async Task<byte[]> ForEnlistmentAsync(CancellationToken ct)
    {
        var enlistCommissioning = await config.GetAsync("enlist_commissioning", ct) is { } value && value.GetValue<bool>();
        var scripts = await db.ReadAsync(c => ScriptCatalog.EnlistmentAsync(c, enlistCommissioning, ct), ct);
        using var tar = new TarArchive(time.GetUtcNow());
        var items = new List<Dictionary<string, object?>>();
        foreach (var script in scripts)
        {
            var path = $"commissioning/{script.Name}";
            tar.Add(path, Encoding.UTF8.GetBytes(script.Data));
            var item = ScriptProperties(script);
            item["name"] = script.Name;
            item["path"] = path;
            item["parameters"] = ScriptParameters.Defaults(script);
            items.Add(item);
        }

        tar.Add("index.json", IndexJson(new() { ["commissioning_scripts"] = items }), TarArchive.Regular);
        return tar.ToArray();
    }

    /// <summary>The legacy tar: every commissioning script under <c>commissioning.d/</c>, no index.</summary>
    public async Task<byte[]> CommissioningScriptsAsync(CancellationToken ct)
    {
        var scripts = await db.ReadAsync(c => ScriptCatalog.OfTypeAsync(c, ScriptType.Commissioning, ct), ct);
        using var tar = new TarArchive(time.GetUtcNow());
        foreach (var script in scripts)
            tar.Add($"commissioning.d/{script.Name}", Encoding.UTF8.GetBytes(script.Data));
        return tar.ToArray();
    }

    private static async Task AddSetAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, Machine machine, long setId, string section, TarArchive tar,
        Dictionary<string, List<Dictionary<string, object?>>> index, bool includeFinished, CancellationToken ct)
    {
        var results = await ScriptResultStore.ListAsync(c, tx, setId, ct);
        var scripts = await ScriptCatalog.ByIdsAsync(c, tx, results.Select(r => r.ScriptId).OfType<long>().Distinct().ToArray(), ct);
        var items = new List<Dictionary<string, object?>>();
        foreach (var result in results)
        {
            // Finished scripts do not run again; results whose script is gone (deleted, or never
            // known) have nothing to send.
            if ((!includeFinished && result.HasFinished) || result.ScriptId is not { } scriptId || !scripts.TryGetValue(scriptId, out var script))
                continue;
            var path = $"{section}/{script.Name}";
            if (!tar.Contains(path))
                tar.Add(path, Encoding.UTF8.GetBytes(script.Data));
            var item = ScriptProperties(script);
            item["name"] = script.Name;
            item["script_result_id"] = result.Id;
            item["parameters"] = JsonDocument.Parse(result.Parameters).RootElement.Clone();
            item["has_started"] = result.HasStarted;
            item["has_finished"] = result.HasFinished;
            item["default"] = script.IsDefault;
            item["tags"] = script.Tags;
            item["path"] = path;
            if (result.HasStarted)
            {
                // The runner appends to what it already sent and uploads the whole again.
                var outPath = $"out/{script.Name}.{result.Id}";
                tar.Add(outPath, result.Output);
                tar.Add($"{outPath}.out", result.Stdout);
                tar.Add($"{outPath}.err", result.Stderr);
                tar.Add($"{outPath}.yaml", result.Result);
            }

            if (script.ApplyConfiguredNetworking && !tar.Contains(NetplanPath) && await NetplanAsync(c, tx, machine.SystemId, ct) is { } netplan)
                tar.Add(NetplanPath, Encoding.UTF8.GetBytes(netplan), TarArchive.Regular);
            items.Add(item);
        }

        if (items.Count > 0)
            index[$"{section}_scripts"] = items;
    }

    private static Dictionary<string, object?> ScriptProperties(ScriptRecord script) => new(StringComparer.Ordinal)
    {
        ["script_version_id"] = script.VersionId,
        ["timeout_seconds"] = (double)script.TimeoutSeconds,
        ["parallel"] = (int)script.Parallel,
        ["hardware_type"] = (int)script.HardwareType,
        ["packages"] = JsonDocument.Parse(script.Packages).RootElement.Clone(),
        ["for_hardware"] = script.ForHardware,
        ["apply_configured_networking"] = script.ApplyConfiguredNetworking,
    };

    private static async Task<string?> NetplanAsync(NpgsqlConnection c, NpgsqlTransaction tx, string systemId, CancellationToken ct)
    {
        try
        {
            return await MachineNetplan.LoadAsync(c, tx, systemId, ct) is { } network ? NetplanRenderer.Render(network) : null;
        }
        catch (AnvilException)
        {
            // A network that cannot be rendered is left to the script to report.
            return null;
        }
    }

    private static byte[] IndexJson(Dictionary<string, object> sections) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["1.0"] = sections });
}

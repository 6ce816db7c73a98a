using Anvil.Domain.Scripts;
using Dapper;
using Npgsql;

namespace Anvil.Data.Scripts;

/// <summary>The queries that pick scripts for a script set or a scripts tar (maas-api.md §7.2, §7.4).</summary>
public static class ScriptCatalog
{
    private const string Select =
        """
        SELECT s.id, s.name, s.tags, s.script_type, s.hardware_type, s.parallel, s.timeout_seconds, s.destructive,
               s.is_default, s.may_reboot, s.recommission, s.apply_configured_networking, s.for_hardware,
               s.parameters::text AS parameters, s.packages::text AS packages, v.id AS version_id, coalesce(v.data, '') AS data
        FROM script s
        LEFT JOIN LATERAL (SELECT id, data FROM script_version WHERE script_id = s.id ORDER BY id DESC LIMIT 1) v ON true
        """;

    /// <summary>Scripts of <paramref name="type"/> named by, tagged with, or with the id of any of <paramref name="selectors"/>.</summary>
    public static async Task<IReadOnlyList<ScriptRecord>> SelectAsync(
        NpgsqlConnection c, NpgsqlTransaction? tx, ScriptType type, IReadOnlyCollection<string> selectors, CancellationToken ct)
    {
        var names = selectors.ToArray();
        var ids = selectors.Select(s => long.TryParse(s, out var id) ? id : -1).Where(id => id >= 0).ToArray();
        return (await c.QueryAsync<ScriptRecord>(new CommandDefinition(
            $"{Select} WHERE s.script_type = @type AND (s.name = ANY(@names) OR s.tags && @names OR s.id = ANY(@ids)) ORDER BY s.name",
            new { type = (int)type, names, ids },
            tx,
            cancellationToken: ct))).AsList();
    }

    /// <summary>What commissioning runs when nobody chose: every commissioning script not for specific hardware nor tagged <c>noauto</c>.</summary>
    public static async Task<IReadOnlyList<ScriptRecord>> DefaultCommissioningAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<ScriptRecord>(new CommandDefinition(
            $"{Select} WHERE s.script_type = {(int)ScriptType.Commissioning} AND cardinality(s.for_hardware) = 0 AND NOT ('noauto' = ANY(s.tags)) ORDER BY s.name",
            transaction: tx,
            cancellationToken: ct))).AsList();

    /// <summary>Names of the built-in scripts (MAAS's <c>default</c>), of every type.</summary>
    public static async Task<IReadOnlyList<string>> BuiltinNamesAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM script WHERE is_default ORDER BY name", transaction: tx, cancellationToken: ct))).AsList();

    /// <summary>Every tag some script has.</summary>
    public static async Task<IReadOnlySet<string>> AllTagsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT unnest(tags) FROM script", transaction: tx, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every script of <paramref name="type"/>, by name.</summary>
    public static async Task<IReadOnlyList<ScriptRecord>> OfTypeAsync(NpgsqlConnection c, ScriptType type, CancellationToken ct) =>
        (await c.QueryAsync<ScriptRecord>(new CommandDefinition(
            $"{Select} WHERE s.script_type = @type ORDER BY s.name", new { type = (int)type }, cancellationToken: ct))).AsList();

    /// <summary>
    /// What an unknown machine runs while enlisting: built-in or <c>enlisting</c>-tagged commissioning
    /// scripts (only <c>bmc-config</c>-tagged ones when enlistment does not commission), never a
    /// script that applies the configured network, since the machine has none yet.
    /// </summary>
    public static async Task<IReadOnlyList<ScriptRecord>> EnlistmentAsync(NpgsqlConnection c, bool enlistCommissioning, CancellationToken ct)
    {
        var filter = enlistCommissioning ? "(s.is_default OR 'enlisting' = ANY(s.tags))" : "'bmc-config' = ANY(s.tags)";
        return (await c.QueryAsync<ScriptRecord>(new CommandDefinition(
            $"{Select} WHERE s.script_type = {(int)ScriptType.Commissioning} AND NOT s.apply_configured_networking AND {filter} ORDER BY s.name",
            cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Scripts of <paramref name="type"/> for specific hardware that share a tag with <paramref name="tags"/>
    /// and are not among <paramref name="exceptNames"/>: candidates once commissioning has seen the hardware.
    /// </summary>
    public static async Task<IReadOnlyList<ScriptRecord>> ForHardwareCandidatesAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, ScriptType type, IReadOnlyCollection<string> tags, IReadOnlyCollection<string> exceptNames, CancellationToken ct) =>
        (await c.QueryAsync<ScriptRecord>(new CommandDefinition(
            $"{Select} WHERE s.script_type = @type AND cardinality(s.for_hardware) > 0 AND s.tags && @tags AND NOT (s.name = ANY(@exceptNames)) ORDER BY s.name",
            new { type = (int)type, tags = tags.ToArray(), exceptNames = exceptNames.ToArray() },
            tx,
            cancellationToken: ct))).AsList();

    /// <summary>The scripts with these ids, by id.</summary>
    public static async Task<IReadOnlyDictionary<long, ScriptRecord>> ByIdsAsync(
        NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        ids.Count == 0
            ? new Dictionary<long, ScriptRecord>()
            : (await c.QueryAsync<ScriptRecord>(new CommandDefinition(
                $"{Select} WHERE s.id = ANY(@ids)", new { ids = ids.ToArray() }, tx, cancellationToken: ct))).ToDictionary(s => s.Id);
}

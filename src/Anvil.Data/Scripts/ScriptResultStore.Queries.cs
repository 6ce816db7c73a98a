using Dapper;
using Npgsql;

namespace Anvil.Data.Scripts;

/// <summary>Results as the <c>nodes/{system_id}/results/</c> handlers read and change them.</summary>
public static partial class ScriptResultStore
{
    public static Task<ResultsNode?> FindNodeAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string systemId, bool forUpdate, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<ResultsNode>(new CommandDefinition(
            $"""
            SELECT n.id, n.system_id, n.hostname, n.hostname || '.' || d.name AS fqdn, n.current_commissioning_result_id,
                   n.current_testing_result_id, n.current_installation_result_id, n.current_release_result_id
            FROM node n JOIN domain d ON d.id = n.domain_id WHERE n.system_id = @systemId{(forUpdate ? " FOR UPDATE OF n" : "")}
            """,
            new { systemId },
            tx,
            cancellationToken: ct));

    /// <summary>The results of the sets, outputs included only when <paramref name="withOutput"/>.</summary>
    public static async Task<IReadOnlyList<ScriptResultRecord>> ResultsAsync(
        NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<long> setIds, bool withOutput, CancellationToken ct)
    {
        var outputs = withOutput
            ? "r.output, r.stdout, r.stderr, r.result"
            : "''::bytea AS output, ''::bytea AS stdout, ''::bytea AS stderr, ''::bytea AS result";
        return (await c.QueryAsync<ScriptResultRecord>(new CommandDefinition(
            $"""
            SELECT r.id, r.script_set_id, r.script_id, r.script_version_id, coalesce(s.name, r.script_name) AS script_name, r.status, r.exit_status,
                   {outputs}, r.parameters::text AS parameters, r.suppressed, r.started, r.ended, r.created, r.updated,
                   s.tags AS script_tags, s.hardware_type AS script_hardware_type, s.timeout_seconds AS script_timeout_seconds,
                   b.name AS block_device_name, i.name AS interface_name
            FROM script_result r
            LEFT JOIN script s ON s.id = r.script_id
            LEFT JOIN blockdevice b ON b.id = r.physical_blockdevice_id
            LEFT JOIN interface i ON i.id = r.interface_id
            WHERE r.script_set_id = ANY(@setIds) ORDER BY r.id
            """,
            new { setIds = setIds.ToArray() },
            tx,
            cancellationToken: ct))).AsList();
    }

    /// <summary>Every passed run on the node, newest first, for estimating how long a pending one will take.</summary>
    public static async Task<IReadOnlyList<PassedRun>> PassedRunsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, CancellationToken ct) =>
        (await c.QueryAsync<PassedRun>(new CommandDefinition(
            """
            SELECT r.id, coalesce(s.name, r.script_name) AS name, r.physical_blockdevice_id, r.started, r.ended
            FROM script_result r JOIN script_set ss ON ss.id = r.script_set_id LEFT JOIN script s ON s.id = r.script_id
            WHERE ss.node_id = @nodeId AND r.status = 2 AND r.ended IS NOT NULL ORDER BY r.id DESC
            """,
            new { nodeId },
            tx,
            cancellationToken: ct))).AsList();

    public static Task<int> SetSuppressedAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<long> resultIds, bool suppressed, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE script_result SET suppressed = @suppressed, updated = now() WHERE id = ANY(@ids)",
            new { ids = resultIds.ToArray(), suppressed },
            tx,
            cancellationToken: ct));
}

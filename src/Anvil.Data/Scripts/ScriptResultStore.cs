using Anvil.Domain.Scripts;
using Dapper;
using Npgsql;

namespace Anvil.Data.Scripts;

/// <summary>Script results: created pending with their set, filled in by the node's signals.</summary>
public static partial class ScriptResultStore
{
    /// <summary>MAAS's SCRIPT_STATUS_RUNNING_OR_PENDING.</summary>
    public static readonly int[] RunningOrPending =
        [(int)ScriptStatus.Pending, (int)ScriptStatus.Running, (int)ScriptStatus.Installing, (int)ScriptStatus.ApplyingNetconf];

    private const string Columns =
        """
        id, script_set_id, script_id, script_version_id, script_name, status, exit_status, output, stdout, stderr, result,
        parameters::text AS parameters, suppressed, started, ended
        """;

    public static bool IsRunningOrPending(ScriptStatus status) =>
        status is ScriptStatus.Pending or ScriptStatus.Running or ScriptStatus.Installing or ScriptStatus.ApplyingNetconf;

    public static Task<long> AddPendingAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long setId, ScriptRecord script, string parametersJson, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO script_result (script_set_id, script_id, script_name, status, parameters)
            VALUES (@setId, @scriptId, @name, 0, @parametersJson::jsonb) RETURNING id
            """,
            new { setId, scriptId = script.Id, name = script.Name, parametersJson },
            tx,
            cancellationToken: ct));

    /// <summary>A result for a script the set did not list (the runner reports it by name): it is running.</summary>
    public static async Task<ScriptResultRecord> AddRunningAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long setId, string name, DateTimeOffset now, CancellationToken ct) =>
        await c.QuerySingleAsync<ScriptResultRecord>(new CommandDefinition(
            $"""
            INSERT INTO script_result (script_set_id, script_id, script_name, status, started)
            VALUES (@setId, (SELECT id FROM script WHERE name = @name), @name, {(int)ScriptStatus.Running}, @now)
            RETURNING {Columns}
            """,
            new { setId, name, now },
            tx,
            cancellationToken: ct));

    public static async Task<IReadOnlyList<ScriptResultRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long setId, CancellationToken ct) =>
        (await c.QueryAsync<ScriptResultRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM script_result WHERE script_set_id = @setId ORDER BY id", new { setId }, tx, cancellationToken: ct))).AsList();

    public static Task<ScriptResultRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<ScriptResultRecord?>(new CommandDefinition(
            $"SELECT {Columns} FROM script_result WHERE script_set_id = @setId AND id = @id", new { setId, id }, tx, cancellationToken: ct));

    /// <summary>The newest result in the set for this script name.</summary>
    public static Task<ScriptResultRecord?> FindByNameAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, string name, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<ScriptResultRecord?>(new CommandDefinition(
            $"SELECT {Columns} FROM script_result WHERE script_set_id = @setId AND script_name = @name ORDER BY id DESC LIMIT 1",
            new { setId, name },
            tx,
            cancellationToken: ct));

    /// <summary>Writes back status, exit status, outputs, version and times.</summary>
    public static Task SaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, ScriptResultRecord r, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE script_result SET status = @Status, exit_status = @ExitStatus, output = @Output, stdout = @Stdout, stderr = @Stderr,
                   result = @Result, script_version_id = @ScriptVersionId, started = @Started, ended = @Ended, updated = now()
            WHERE id = @Id
            """,
            new { r.Id, Status = (int)r.Status, r.ExitStatus, r.Output, r.Stdout, r.Stderr, r.Result, r.ScriptVersionId, r.Started, r.Ended },
            tx,
            cancellationToken: ct));

    /// <summary>Marks what had not finished in these sets aborted (the operation failed or was replaced).</summary>
    public static Task<int> AbortRunningOrPendingAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyCollection<long> setIds, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"UPDATE script_result SET status = {(int)ScriptStatus.Aborted}, updated = now() WHERE script_set_id = ANY(@setIds) AND status = ANY(@active)",
            new { setIds = setIds.ToArray(), active = RunningOrPending },
            tx,
            cancellationToken: ct));

    /// <summary>Marks what had not finished in the set timed out (the node stopped sending its heartbeat).</summary>
    public static Task<int> TimeOutRunningOrPendingAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"UPDATE script_result SET status = {(int)ScriptStatus.TimedOut}, updated = now() WHERE script_set_id = @setId AND status = ANY(@active)",
            new { setId, active = RunningOrPending },
            tx,
            cancellationToken: ct));

    /// <summary>Marks what had not started in the set aborted (testing after failed commissioning).</summary>
    public static Task<int> AbortPendingAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"UPDATE script_result SET status = {(int)ScriptStatus.Aborted}, updated = now() WHERE script_set_id = @setId AND status = {(int)ScriptStatus.Pending}",
            new { setId },
            tx,
            cancellationToken: ct));

    /// <summary>Whether a script in the set failed (MAAS counts only FAILED here).</summary>
    public static Task<bool> AnyFailedAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM script_result WHERE script_set_id = @setId AND status = {(int)ScriptStatus.Failed})",
            new { setId },
            tx,
            cancellationToken: ct));

    /// <summary>
    /// A passed <c>recommission</c> script changed the hardware: the built-in commissioning scripts
    /// of the set run again.
    /// </summary>
    public static Task<int> ResetBuiltinCommissioningAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE script_result r SET status = {(int)ScriptStatus.Pending}, started = NULL, ended = NULL, updated = now()
            FROM script s
            WHERE r.script_set_id = @setId AND r.script_id = s.id AND s.is_default AND s.script_type = {(int)ScriptType.Commissioning}
            """,
            new { setId },
            tx,
            cancellationToken: ct));

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM script_result WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>Whether the version is one of the script's.</summary>
    public static Task<bool> IsVersionOfAsync(NpgsqlConnection c, NpgsqlTransaction tx, long scriptId, long versionId, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM script_version WHERE id = @versionId AND script_id = @scriptId)",
            new { scriptId, versionId },
            tx,
            cancellationToken: ct));
}

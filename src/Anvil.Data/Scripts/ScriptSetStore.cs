using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Dapper;
using Npgsql;

namespace Anvil.Data.Scripts;

/// <summary>Script sets and which of them are a node's current ones.</summary>
public static class ScriptSetStore
{
    public static Task<long> CreateAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, ResultType type, string powerState,
        IReadOnlyCollection<string> tags, IReadOnlyCollection<string> requested, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO script_set (node_id, result_type, power_state_before_transition, tags, requested_scripts)
            VALUES (@nodeId, @type, @powerState, @tags, @requested) RETURNING id
            """,
            new { nodeId, type = (int)type, powerState, tags = tags.ToArray(), requested = requested.ToArray() },
            tx,
            cancellationToken: ct));

    public static Task<ScriptSetRecord?> GetAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<ScriptSetRecord?>(new CommandDefinition(
            "SELECT id, node_id, result_type, last_ping, power_state_before_transition, tags, requested_scripts FROM script_set WHERE id = @id",
            new { id },
            tx,
            cancellationToken: ct));

    public static async Task<CurrentScriptSets> CurrentAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, CancellationToken ct)
    {
        var (commissioning, testing, installation, release) = await c.QuerySingleOrDefaultAsync<(long?, long?, long?, long?)>(new CommandDefinition(
            """
            SELECT current_commissioning_result_id AS commissioning, current_testing_result_id AS testing,
                   current_installation_result_id AS installation, current_release_result_id AS release
            FROM node WHERE id = @nodeId
            """,
            new { nodeId },
            tx,
            cancellationToken: ct));
        return new CurrentScriptSets(commissioning, testing, installation, release);
    }

    /// <summary>Makes <paramref name="setId"/> the node's current set of <paramref name="type"/>; null leaves it without one.</summary>
    public static Task SetCurrentAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, ResultType type, long? setId, CancellationToken ct)
    {
        var column = type switch
        {
            ResultType.Commissioning => "current_commissioning_result_id",
            ResultType.Testing => "current_testing_result_id",
            ResultType.Installation => "current_installation_result_id",
            _ => "current_release_result_id",
        };
        return c.ExecuteAsync(new CommandDefinition(
            $"UPDATE node SET {column} = @setId WHERE id = @nodeId", new { nodeId, setId }, tx, cancellationToken: ct));
    }

    /// <summary>The node was heard from (every signal is a heartbeat).</summary>
    public static Task PingAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, DateTimeOffset now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE script_set SET last_ping = @now WHERE id = @setId", new { setId, now }, tx, cancellationToken: ct));

    /// <summary>
    /// A new set of <paramref name="type"/> replaces the node's earlier ones: what they still had to
    /// run is aborted (the user asked to start over) and earlier sets left without results go.
    /// </summary>
    public static async Task RetireEarlierAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, ResultType type, long newSetId, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE script_result r SET status = {(int)ScriptStatus.Aborted}, updated = now()
            FROM script_set s
            WHERE r.script_set_id = s.id AND s.node_id = @nodeId AND s.result_type = @type AND s.id <> @newSetId
              AND r.status = ANY(@active)
            """,
            new { nodeId, type = (int)type, newSetId, active = ScriptResultStore.RunningOrPending },
            tx,
            cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM script_set s
            WHERE s.node_id = @nodeId AND s.result_type = @type AND s.id <> @newSetId
              AND NOT EXISTS (SELECT 1 FROM script_result r WHERE r.script_set_id = s.id)
            """,
            new { nodeId, type = (int)type, newSetId },
            tx,
            cancellationToken: ct));
    }

    /// <summary>
    /// Commissioning or testing machines that have booted (no boot deadline left) whose current
    /// set of that kind was last heard from before <paramref name="expired"/>: their heartbeat stopped.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FlatlinedAsync(NpgsqlConnection c, DateTimeOffset expired, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT n.system_id FROM node n
            JOIN script_set s ON s.id = CASE n.status WHEN {(int)NodeStatus.COMMISSIONING} THEN n.current_commissioning_result_id ELSE n.current_testing_result_id END
            WHERE n.status IN ({(int)NodeStatus.COMMISSIONING}, {(int)NodeStatus.TESTING}) AND n.status_expires IS NULL AND s.last_ping < @expired
            ORDER BY s.last_ping LIMIT 500
            """,
            new { expired },
            cancellationToken: ct))).AsList();

    /// <summary>Whether a result of the set is running a script that may reboot the machine (its heartbeat stops meanwhile).</summary>
    public static Task<bool> RunningMayRebootAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"""
            SELECT EXISTS (SELECT 1 FROM script_result r JOIN script s ON s.id = r.script_id
                           WHERE r.script_set_id = @setId AND r.status = {(int)ScriptStatus.Running} AND s.may_reboot)
            """,
            new { setId },
            tx,
            cancellationToken: ct));

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM script_set WHERE id = @setId", new { setId }, tx, cancellationToken: ct));

    /// <summary>The node's sets, oldest first, of one result type or all.</summary>
    public static async Task<IReadOnlyList<ScriptSetRecord>> OfNodeAsync(NpgsqlConnection c, long nodeId, int? resultType, CancellationToken ct) =>
        (await c.QueryAsync<ScriptSetRecord>(new CommandDefinition(
            """
            SELECT id, node_id, result_type, last_ping FROM script_set
            WHERE node_id = @nodeId AND (@resultType::int IS NULL OR result_type = @resultType) ORDER BY id
            """,
            new { nodeId, resultType },
            cancellationToken: ct))).AsList();

    /// <summary>The set with this id when it is the node's.</summary>
    public static Task<ScriptSetRecord?> FindOfNodeAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, long setId, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<ScriptSetRecord>(new CommandDefinition(
            "SELECT id, node_id, result_type, last_ping FROM script_set WHERE id = @setId AND node_id = @nodeId",
            new { nodeId, setId },
            tx,
            cancellationToken: ct));

    /// <summary>The node's newest testing set other than <paramref name="exceptSetId"/>, or null.</summary>
    public static Task<long?> PreviousTestingSetAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, long exceptSetId, CancellationToken ct) =>
        c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT max(id) FROM script_set WHERE node_id = @nodeId AND result_type = 2 AND id <> @exceptSetId",
            new { nodeId, exceptSetId },
            tx,
            cancellationToken: ct));
}

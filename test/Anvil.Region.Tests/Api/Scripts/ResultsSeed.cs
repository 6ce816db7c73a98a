using Anvil.Region.Tests.Support;
using Dapper;

namespace Anvil.Region.Tests.Api.Scripts;

/// <summary>Script sets and results written straight into the database, as the metadata server would leave them.</summary>
internal static class ResultsSeed
{
    public sealed record Result(string Name, int Status = 2, string Output = "", string Stdout = "", string Stderr = "", string ResultYaml = "",
        long? ScriptId = null, string Parameters = "{}", int RuntimeSeconds = 5);

    public static Task<long> SetAsync(RegionTestHost host, TestNode node, int resultType, bool current, params Result[] results) =>
        host.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var setId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO script_set (node_id, result_type, last_ping) VALUES (@nodeId, @resultType, now()) RETURNING id",
                    new { nodeId = node.Id, resultType },
                    tx));
                foreach (var r in results)
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO script_result (script_set_id, script_id, script_name, status, exit_status, output, stdout, stderr, result, parameters, started, ended)
                        VALUES (@setId, @ScriptId, @Name, @Status, CASE WHEN @Status = 2 THEN 0 ELSE 1 END, convert_to(@Output, 'UTF8'), convert_to(@Stdout, 'UTF8'),
                                convert_to(@Stderr, 'UTF8'), convert_to(@ResultYaml, 'UTF8'), @Parameters::jsonb,
                                CASE WHEN @Status >= 2 THEN timestamptz '2024-01-02 03:04:05+00' END,
                                CASE WHEN @Status >= 2 THEN timestamptz '2024-01-02 03:04:05+00' + make_interval(secs => @RuntimeSeconds) END)
                        """,
                        new { setId, r.ScriptId, r.Name, r.Status, r.Output, r.Stdout, r.Stderr, r.ResultYaml, r.Parameters, r.RuntimeSeconds },
                        tx));
                }

                if (current)
                {
                    var column = resultType switch { 0 => "current_commissioning_result_id", 1 => "current_installation_result_id", _ => "current_testing_result_id" };
                    await c.ExecuteAsync(new CommandDefinition($"UPDATE node SET {column} = @setId WHERE id = @nodeId", new { setId, nodeId = node.Id }, tx));
                }

                return setId;
            },
            CancellationToken.None);

    public static Task<long?> CurrentTestingAsync(RegionTestHost host, TestNode node) =>
        host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT current_testing_result_id FROM node WHERE id = @id", new { id = node.Id })),
            CancellationToken.None);
}

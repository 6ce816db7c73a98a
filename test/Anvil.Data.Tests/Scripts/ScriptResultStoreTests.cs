using Anvil.Data.Scripts;
using Anvil.Data.Tests.Metadata;
using Anvil.Domain.Scripts;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Scripts;

public sealed class ScriptResultStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Outputs_round_trip_byte_for_byte_and_retiring_a_set_aborts_what_it_left()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var db = database.Database;
        var nodeId = await MetadataRows.NodeAsync(db, "ghi789");
        var scriptId = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("INSERT INTO script (name, script_type) VALUES ('s', 0) RETURNING id", transaction: tx));
                await c.ExecuteAsync(new CommandDefinition("INSERT INTO script_version (script_id, data) VALUES (@id, 'v1'), (@id, 'v2')", new { id }, tx));
                return id;
            },
            Ct);
        byte[] bytes = [0x00, 0xff, 0xfe, 0x0a, 0x0d];

        var (oldSet, resultId) = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var setId = await ScriptSetStore.CreateAsync(c, tx, nodeId, ResultType.Commissioning, "on", ["t"], ["t"], Ct);
                var script = (await ScriptCatalog.ByIdsAsync(c, tx, [scriptId], Ct))[scriptId];
                script.Data.ShouldBe("v2");
                var id = await ScriptResultStore.AddPendingAsync(c, tx, setId, script, "{}", Ct);
                var result = (await ScriptResultStore.FindAsync(c, tx, setId, id, Ct))!;
                result.Stdout = bytes;
                result.Status = ScriptStatus.Running;
                await ScriptResultStore.SaveAsync(c, tx, result, Ct);
                return (setId, id);
            },
            Ct);
        await db.InTransactionAsync(
            async (c, tx) =>
            {
                var newSet = await ScriptSetStore.CreateAsync(c, tx, nodeId, ResultType.Commissioning, "on", [], [], Ct);
                await ScriptSetStore.RetireEarlierAsync(c, tx, nodeId, ResultType.Commissioning, newSet, Ct);
            },
            Ct);

        var stored = (await db.ReadAsync(c => ScriptResultStore.ListAsync(c, null, oldSet, Ct), Ct)).Single();
        stored.Id.ShouldBe(resultId);
        stored.Stdout.ShouldBe(bytes);
        stored.Status.ShouldBe(ScriptStatus.Aborted);
    }
}

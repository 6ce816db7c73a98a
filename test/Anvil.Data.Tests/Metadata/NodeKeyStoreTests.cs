using Anvil.Data.Metadata;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Metadata;

public sealed class NodeKeyStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task GetOrCreate_makes_one_key_per_node_even_when_raced()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var nodeId = await MetadataRows.NodeAsync(database.Database, "abc123");

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            database.Database.InTransactionAsync((c, tx) => NodeKeyStore.GetOrCreateAsync(c, tx, nodeId, Ct), Ct)));

        keys.Distinct().Count().ShouldBe(1);
        var key = keys[0];
        key.SystemId.ShouldBe("abc123");
        key.ConsumerKey.Length.ShouldBe(18);
        key.TokenKey.Length.ShouldBe(18);
        key.TokenSecret.Length.ShouldBe(32);
        key.TokenSecret.ShouldAllBe(ch => char.IsAsciiLetterOrDigit(ch));
    }

    [Fact]
    public async Task FindByToken_finds_the_node_or_nothing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var nodeId = await MetadataRows.NodeAsync(database.Database, "def456");
        var key = await database.Database.InTransactionAsync((c, tx) => NodeKeyStore.GetOrCreateAsync(c, tx, nodeId, Ct), Ct);

        (await database.Database.ReadAsync(c => NodeKeyStore.FindByTokenAsync(c, key.TokenKey, Ct), Ct)).ShouldBe(key);
        (await database.Database.ReadAsync(c => NodeKeyStore.FindByTokenAsync(c, "nope", Ct), Ct)).ShouldBeNull();
    }
}

internal static class MetadataRows
{
    public static Task<long> NodeAsync(Database db, string systemId) =>
        db.InTransactionAsync(
            (c, tx) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO node (system_id, hostname, domain_id, zone_id) VALUES (@systemId, @systemId, 0, (SELECT id FROM zone WHERE name = 'default'))
                RETURNING id
                """,
                new { systemId },
                tx)),
            CancellationToken.None);
}

using Anvil.Data.Migrations;
using Anvil.Testing.Postgres;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Migrations;

/// <summary>Every schema version a deployed region could be at must upgrade to the latest.</summary>
public sealed class UpgradeTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    public static TheoryData<int> ShippedVersions => new(Enumerable.Range(0, EmbeddedMigrations.Load().Count + 1));

    public static TheoryData<int> TestSetVersions => new(Enumerable.Range(0, TestMigrations.All.Count + 1));

    [Theory]
    [MemberData(nameof(ShippedVersions))]
    public async Task A_database_at_any_shipped_schema_version_upgrades_to_the_latest(int startVersion)
    {
        var shipped = EmbeddedMigrations.Load();
        await using var upgraded = await TestPostgres.CreateDatabaseAsync(shipped, startVersion);
        (await MigrationRunner.GetCurrentVersionAsync(upgraded.DataSource, Ct)).ShouldBe(startVersion);

        var result = await new MigrationRunner(upgraded.DataSource, shipped).MigrateAsync(null, Ct);

        result.ToVersion.ShouldBe(shipped.Count);
        result.Applied.Select(m => m.Version).ShouldBe(Enumerable.Range(startVersion + 1, shipped.Count - startVersion));
        await using var fresh = await TestPostgres.CreateDatabaseAsync();
        (await SchemaQueries.FingerprintAsync(upgraded.DataSource)).ShouldBe(await SchemaQueries.FingerprintAsync(fresh.DataSource));
    }

    [Theory]
    [MemberData(nameof(TestSetVersions))]
    public async Task A_database_at_any_earlier_version_of_a_migration_history_upgrades_to_the_latest(int startVersion)
    {
        await using var upgraded = await TestPostgres.CreateDatabaseAsync(TestMigrations.All, startVersion);
        (await MigrationRunner.GetCurrentVersionAsync(upgraded.DataSource, Ct)).ShouldBe(startVersion);

        var result = await new MigrationRunner(upgraded.DataSource, TestMigrations.All).MigrateAsync(null, Ct);

        result.ToVersion.ShouldBe(5);
        result.Applied.Select(m => m.Version).ShouldBe(Enumerable.Range(startVersion + 1, 5 - startVersion));
        (await SchemaQueries.LoggedVersionsAsync(upgraded.DataSource)).ShouldBe([1, 2, 3, 4, 5]);
        await using var fresh = await TestPostgres.CreateDatabaseAsync(TestMigrations.All);
        (await SchemaQueries.FingerprintAsync(upgraded.DataSource)).ShouldBe(await SchemaQueries.FingerprintAsync(fresh.DataSource));
    }
}

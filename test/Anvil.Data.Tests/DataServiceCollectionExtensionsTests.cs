using Anvil.Data.Migrations;
using Anvil.Testing.Postgres;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests;

public sealed class DataServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddAnvilData_provides_one_data_source_for_the_database_and_the_migration_runner()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await using var services = new ServiceCollection().AddAnvilData(database.ConnectionString).BuildServiceProvider();

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var anvilDatabase = services.GetRequiredService<Database>();
        var runner = services.GetRequiredService<MigrationRunner>();

        anvilDatabase.ShouldBeSameAs(services.GetRequiredService<Database>());
        anvilDatabase.DataSource.ShouldBeSameAs(dataSource);
        dataSource.ConnectionString.ShouldContain(database.Name);
        runner.Migrations.Count.ShouldBe(EmbeddedMigrations.Load().Count);
    }

    [Fact]
    public async Task AddAnvilData_maps_snake_case_columns_onto_pascal_case_members()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await using var services = new ServiceCollection().AddAnvilData(database.ConnectionString).BuildServiceProvider();

        var row = await services.GetRequiredService<Database>().ReadAsync(
            c => c.QuerySingleAsync<SnakeCaseRow>("SELECT 'abc123' AS system_id, 'ready' AS status_name"),
            CancellationToken.None);

        row.SystemId.ShouldBe("abc123");
        row.StatusName.ShouldBe("ready");
    }

    private sealed class SnakeCaseRow
    {
        public string SystemId { get; init; } = "";

        public string StatusName { get; init; } = "";
    }
}

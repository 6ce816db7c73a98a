using Anvil.Data.Migrations;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Migrations;

public sealed class MigrationRunnerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task MigrateAsync_on_an_empty_database_applies_every_migration_in_order_and_records_it()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        var runner = new MigrationRunner(database.DataSource, TestMigrations.All);

        var result = await runner.MigrateAsync(null, Ct);

        result.FromVersion.ShouldBe(0);
        result.ToVersion.ShouldBe(5);
        result.Applied.Select(m => m.Version).ShouldBe([1, 2, 3, 4, 5]);
        (await SchemaQueries.LoggedVersionsAsync(database.DataSource)).ShouldBe([1, 2, 3, 4, 5]);
        (await SchemaQueries.RecordedMigrationsAsync(database.DataSource)).ShouldBe(TestMigrations.All.Select(m => (m.Version, m.Name)).ToList());
        (await MigrationRunner.GetCurrentVersionAsync(database.DataSource, Ct)).ShouldBe(5);
    }

    [Fact]
    public async Task MigrateAsync_orders_migrations_given_out_of_order()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        var runner = new MigrationRunner(database.DataSource, [.. TestMigrations.All.Reverse()]);

        await runner.MigrateAsync(null, Ct);

        (await SchemaQueries.LoggedVersionsAsync(database.DataSource)).ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task MigrateAsync_a_second_time_applies_nothing()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await new MigrationRunner(database.DataSource, TestMigrations.All).MigrateAsync(null, Ct);

        var second = await new MigrationRunner(database.DataSource, TestMigrations.All).MigrateAsync(null, Ct);

        second.Applied.ShouldBeEmpty();
        second.FromVersion.ShouldBe(5);
        second.ToVersion.ShouldBe(5);
        (await SchemaQueries.LoggedVersionsAsync(database.DataSource)).ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task MigrateAsync_with_a_target_version_stops_there_and_a_later_run_continues()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        var runner = new MigrationRunner(database.DataSource, TestMigrations.All);

        var partial = await runner.MigrateAsync(2, Ct);
        (await MigrationRunner.GetCurrentVersionAsync(database.DataSource, Ct)).ShouldBe(2);
        var rest = await runner.MigrateAsync(null, Ct);

        partial.Applied.Select(m => m.Version).ShouldBe([1, 2]);
        rest.FromVersion.ShouldBe(2);
        rest.Applied.Select(m => m.Version).ShouldBe([3, 4, 5]);
        (await SchemaQueries.LoggedVersionsAsync(database.DataSource)).ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task Eight_runners_starting_together_apply_each_migration_exactly_once()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runners = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(async () =>
            {
                await go.Task;
                return await new MigrationRunner(database.DataSource, TestMigrations.All).MigrateAsync(null, Ct);
            }))
            .ToList();

        go.SetResult();
        var results = await Task.WhenAll(runners).WaitAsync(TimeSpan.FromMinutes(1));

        results.Count(r => r.Applied.Count == 5).ShouldBe(1);
        results.Count(r => r.Applied.Count == 0).ShouldBe(7);
        results.ShouldAllBe(r => r.ToVersion == 5);
        (await SchemaQueries.LoggedVersionsAsync(database.DataSource)).ShouldBe([1, 2, 3, 4, 5]);
        (await SchemaQueries.RecordedMigrationsAsync(database.DataSource)).Count.ShouldBe(5);
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_every_migration_of_the_run()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        Migration[] migrations = [.. TestMigrations.UpTo(2), new(3, "broken", "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;")];

        var error = await Should.ThrowAsync<MigrationException>(
            () => new MigrationRunner(database.DataSource, migrations).MigrateAsync(null, Ct));

        error.Message.ShouldContain("0003_broken");
        error.Message.ShouldContain("no_such_table");
        (await SchemaQueries.TableExistsAsync(database.DataSource, "widgets")).ShouldBeFalse();
        (await SchemaQueries.TableExistsAsync(database.DataSource, "half_done")).ShouldBeFalse();
        (await SchemaQueries.TableExistsAsync(database.DataSource, "schema_migrations")).ShouldBeFalse();
        (await MigrationRunner.GetCurrentVersionAsync(database.DataSource, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task A_failing_migration_leaves_an_earlier_schema_version_as_it_was()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(TestMigrations.All, targetVersion: 1);
        Migration[] migrations = [.. TestMigrations.UpTo(2), new(3, "broken", "SELECT 1/0")];

        await Should.ThrowAsync<MigrationException>(() => new MigrationRunner(database.DataSource, migrations).MigrateAsync(null, Ct));

        (await MigrationRunner.GetCurrentVersionAsync(database.DataSource, Ct)).ShouldBe(1);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'widgets' AND column_name = 'colour'")).ShouldBe(0);
    }

    [Fact]
    public async Task MigrateAsync_refuses_a_database_migrated_by_a_newer_anvil()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(TestMigrations.All);

        var error = await Should.ThrowAsync<MigrationException>(
            () => new MigrationRunner(database.DataSource, TestMigrations.UpTo(3)).MigrateAsync(null, Ct));

        error.Message.ShouldContain("4, 5");
        error.Message.ShouldContain("newer Anvil");
    }

    [Fact]
    public async Task MigrateAsync_rejects_a_target_beyond_the_latest_migration()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();

        await Should.ThrowAsync<ArgumentOutOfRangeException>(
            () => new MigrationRunner(database.DataSource, TestMigrations.All).MigrateAsync(6, Ct));
    }

    [Fact]
    public async Task Constructor_rejects_two_migrations_with_one_version()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        Migration[] migrations = [new(1, "a", "SELECT 1"), new(1, "b", "SELECT 1")];

        var error = Should.Throw<ArgumentException>(() => new MigrationRunner(database.DataSource, migrations));

        error.Message.ShouldContain("share version 1");
    }

    [Fact]
    public async Task GetCurrentVersionAsync_of_a_never_migrated_database_is_zero()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();

        (await MigrationRunner.GetCurrentVersionAsync(database.DataSource, Ct)).ShouldBe(0);
    }
}

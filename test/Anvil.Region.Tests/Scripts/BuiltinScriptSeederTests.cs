using Anvil.Testing.Postgres;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Region.Scripts;

public sealed class BuiltinScriptSeederTests
{
    [Fact]
    public async Task Seeding_installs_every_builtin_once_with_one_version()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var seeder = new BuiltinScriptSeeder(db.Database, NullLogger<BuiltinScriptSeeder>.Instance);
        var shipped = BuiltinScript.LoadAll();

        var first = await seeder.SeedAsync(shipped, CancellationToken.None);
        var second = await seeder.SeedAsync(shipped, CancellationToken.None);

        (first.Created, first.NewVersions).ShouldBe((shipped.Count, shipped.Count));
        (second.Created, second.NewVersions).ShouldBe((0, 0));
        await using var c = await db.DataSource.OpenConnectionAsync();
        var rows = (await c.QueryAsync<(string Name, bool IsDefault, int ScriptType, int Timeout, string Parameters, long Versions, string Data)>(
            """
            SELECT s.name, s.is_default, s.script_type, s.timeout_seconds, s.parameters::text,
                (SELECT count(*) FROM script_version v WHERE v.script_id = s.id),
                (SELECT data FROM script_version v WHERE v.script_id = s.id ORDER BY id DESC LIMIT 1)
            FROM script s ORDER BY s.name
            """)).AsList();
        rows.Select(r => r.Name).ShouldBe(shipped.Select(s => s.Name).Order(StringComparer.Ordinal));
        rows.ShouldAllBe(r => r.IsDefault && r.Versions == 1 && (r.Timeout > 0 || r.Name == "wipe-disks"));
        rows.Single(r => r.Name == "fio").Data.ShouldBe(shipped.Single(s => s.Name == "fio").Text);
        rows.Single(r => r.Name == "smartctl-validate").Parameters.ShouldContain("\"argument_format\": \"{path}\"");
    }

    [Fact]
    public async Task A_changed_text_adds_a_version_and_changed_metadata_updates_the_row()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var seeder = new BuiltinScriptSeeder(db.Database, NullLogger<BuiltinScriptSeeder>.Instance);
        var shipped = BuiltinScript.LoadAll();
        await seeder.SeedAsync(shipped, CancellationToken.None);
        var changed = shipped.Select(s => s.Name == "memtester" ? s with { Text = s.Text + "# fixed\n", TimeoutSeconds = 60 } : s).ToList();

        var outcome = await seeder.SeedAsync(changed, CancellationToken.None);

        (outcome.Created, outcome.NewVersions).ShouldBe((0, 1));
        await using var c = await db.DataSource.OpenConnectionAsync();
        var versions = (await c.QueryAsync<string>(
            "SELECT v.data FROM script_version v JOIN script s ON s.id = v.script_id WHERE s.name = 'memtester' ORDER BY v.id")).AsList();
        versions.Count.ShouldBe(2);
        versions[1].ShouldEndWith("# fixed\n");
        (await c.QuerySingleAsync<int>("SELECT timeout_seconds FROM script WHERE name = 'memtester'")).ShouldBe(60);
    }

    [Fact]
    public async Task Two_regions_seeding_together_give_one_row_and_one_version_per_script()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var shipped = BuiltinScript.LoadAll();
        var seeders = Enumerable.Range(0, 4).Select(_ => new BuiltinScriptSeeder(db.Database, NullLogger<BuiltinScriptSeeder>.Instance)).ToList();

        var outcomes = await Task.WhenAll(seeders.Select(s => Task.Run(() => s.SeedAsync(shipped, CancellationToken.None))));

        outcomes.Sum(o => o.Created).ShouldBe(shipped.Count);
        await using var c = await db.DataSource.OpenConnectionAsync();
        (await c.QuerySingleAsync<long>("SELECT count(*) FROM script")).ShouldBe(shipped.Count);
        (await c.QuerySingleAsync<long>("SELECT count(*) FROM script_version")).ShouldBe(shipped.Count);
    }

    [Fact]
    public async Task A_user_script_with_a_builtin_name_is_left_alone()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using (var c = await db.DataSource.OpenConnectionAsync())
        {
            var id = await c.QuerySingleAsync<long>("INSERT INTO script (name, script_type) VALUES ('fio', 2) RETURNING id");
            await c.ExecuteAsync("INSERT INTO script_version (script_id, data) VALUES (@id, 'mine')", new { id });
        }

        var outcome = await new BuiltinScriptSeeder(db.Database, NullLogger<BuiltinScriptSeeder>.Instance).SeedAsync(BuiltinScript.LoadAll(), CancellationToken.None);

        outcome.SkippedUserScripts.ShouldBe(["fio"]);
        await using var check = await db.DataSource.OpenConnectionAsync();
        (await check.QuerySingleAsync<string>("SELECT v.data FROM script_version v JOIN script s ON s.id = v.script_id WHERE s.name = 'fio'")).ShouldBe("mine");
        (await check.QuerySingleAsync<bool>("SELECT is_default FROM script WHERE name = 'fio'")).ShouldBeFalse();
    }
}

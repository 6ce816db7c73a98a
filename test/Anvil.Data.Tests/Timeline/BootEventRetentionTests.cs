using Anvil.Data.Timeline;
using Anvil.Testing.Postgres;
using Dapper;
using Npgsql;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Timeline;

public sealed class BootEventRetentionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static BootEventLimits Limits(int keepPerKey = 1_000, long keepTotal = 1_000_000) => new(TimeSpan.FromDays(7), keepPerKey, keepTotal);

    private static Task<int> InsertAsync(NpgsqlConnection c, string mac, int count, int fromSecond = 0) =>
        BootEventStore.InsertAsync(c, [.. Enumerable.Range(fromSecond, count).Select(i => new BootEventRow(T0.AddSeconds(i), "dhcp", $"{mac}#{i}", Mac: mac))], Ct);

    private static async Task<List<string>> KindsAsync(NpgsqlConnection c) =>
        [.. await c.QueryAsync<string>("SELECT kind FROM boot_event ORDER BY at, id")];

    [Fact]
    public async Task A_mac_over_its_cap_keeps_its_newest_rows_and_a_mac_under_it_keeps_all()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        await InsertAsync(c, "52:54:00:00:00:0a", 10);
        await InsertAsync(c, "52:54:00:00:00:0b", 3);

        var pass = await BootEventRetention.PruneAsync(c, T0, Limits(keepPerKey: 4), afterId: 0, Ct);

        pass.Deleted.ShouldBe(6);
        (await BootEventStore.ForMacAsync(c, "52:54:00:00:00:0a", null, 100, Ct)).Select(e => e.Kind)
            .ShouldBe(["52:54:00:00:00:0a#6", "52:54:00:00:00:0a#7", "52:54:00:00:00:0a#8", "52:54:00:00:00:0a#9"]);
        (await BootEventStore.ForMacAsync(c, "52:54:00:00:00:0b", null, 100, Ct)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Rows_of_a_node_without_a_mac_are_capped_per_node()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        var nodeId = await c.ExecuteScalarAsync<long>(
            "INSERT INTO node (system_id, hostname, domain_id, zone_id) VALUES ('ret001', 'ret001', 0, 1) RETURNING id");
        await BootEventStore.InsertAsync(c, [.. Enumerable.Range(0, 6).Select(i => new BootEventRow(T0.AddSeconds(i), "signal", $"WORKING{i}", NodeId: nodeId))], Ct);
        await InsertAsync(c, "52:54:00:00:00:0c", 2);

        await BootEventRetention.PruneAsync(c, T0, Limits(keepPerKey: 2), afterId: 0, Ct);

        (await KindsAsync(c)).ShouldBe(["52:54:00:00:00:0c#0", "52:54:00:00:00:0c#1", "WORKING4", "WORKING5"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_storm_of_distinct_macs_is_cut_to_the_total_keeping_the_newest_written()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        for (var i = 0; i < 20; i++)
            await InsertAsync(c, $"02:00:00:00:00:{i:x2}", 1, fromSecond: i);

        var pass = await BootEventRetention.PruneAsync(c, T0, Limits(keepPerKey: 5, keepTotal: 8), afterId: 0, Ct);

        pass.Deleted.ShouldBe(12);
        (await KindsAsync(c)).ShouldBe([.. Enumerable.Range(12, 8).Select(i => $"02:00:00:00:00:{i:x2}#{i}")]);
    }

    [Fact]
    public async Task A_pass_caps_only_the_macs_written_since_the_last_pass()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        await InsertAsync(c, "52:54:00:00:00:0d", 6);
        var first = await BootEventRetention.PruneAsync(c, T0, Limits(keepPerKey: 100), afterId: 0, Ct);
        await InsertAsync(c, "52:54:00:00:00:0e", 6);

        var second = await BootEventRetention.PruneAsync(c, T0, Limits(keepPerKey: 2), first.LastId, Ct);

        second.Deleted.ShouldBe(4);
        (await BootEventStore.ForMacAsync(c, "52:54:00:00:00:0d", null, 100, Ct)).Count.ShouldBe(6);
        (await BootEventStore.ForMacAsync(c, "52:54:00:00:00:0e", null, 100, Ct)).Count.ShouldBe(2);
        second.LastId.ShouldBeGreaterThan(first.LastId);
    }

    [Fact]
    public async Task Rows_older_than_the_age_limit_go_whatever_the_caps()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        await InsertAsync(c, "52:54:00:00:00:0f", 3);

        var pass = await BootEventRetention.PruneAsync(c, T0.AddDays(7).AddSeconds(1.5), Limits(), afterId: 0, Ct);

        pass.Deleted.ShouldBe(2);
        (await KindsAsync(c)).ShouldBe(["52:54:00:00:00:0f#2"]);
    }

    [Fact]
    public async Task An_empty_table_is_a_pass_that_deletes_nothing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();

        var pass = await BootEventRetention.PruneAsync(c, T0, Limits(keepPerKey: 1, keepTotal: 1), afterId: 7, Ct);

        pass.ShouldBe(new BootEventPrune(0, 7));
    }
}

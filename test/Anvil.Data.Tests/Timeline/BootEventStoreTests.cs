using Anvil.Data.Timeline;
using Anvil.Testing.Postgres;
using Dapper;
using Npgsql;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Timeline;

public sealed class BootEventStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static async Task<(long Id, string SystemId)> MachineAsync(NpgsqlConnection c, string mac)
    {
        var systemId = "tl" + Guid.NewGuid().ToString("N")[..6];
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO node (system_id, hostname, domain_id, zone_id) VALUES (@systemId, @systemId, 0, 1) RETURNING id", new { systemId });
        await c.ExecuteAsync("INSERT INTO interface (node_id, name, mac_address) VALUES (@id, 'eth0', @mac::macaddr)", new { id, mac });
        return (id, systemId);
    }

    [Fact]
    public async Task A_nodes_timeline_has_its_rows_the_rows_of_its_macs_and_its_status_changes_in_time_order()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        var (id, systemId) = await MachineAsync(c, "52:54:00:00:00:01");
        var (_, other) = await MachineAsync(c, "52:54:00:00:00:02");
        await c.ExecuteAsync(
            "INSERT INTO event (type, level, node_id, description, created) VALUES ('NODE_CHANGED_STATUS', 20, @id, 'From ''New'' to ''Commissioning''', @at)",
            new { id, at = T0.AddSeconds(3).UtcDateTime });

        await BootEventStore.InsertAsync(c,
        [
            new(T0.AddSeconds(1), "dhcp", "DHCPDISCOVER", "PXEClient", Mac: "52:54:00:00:00:01", Source: "rack1"),
            new(T0.AddSeconds(2), "http", "GET", "/images/boot-kernel 200", 1234, Mac: "52:54:00:00:00:01", Source: "rack1"),
            new(T0.AddSeconds(4), "signal", "OK", "", SystemId: systemId, Source: "region"),
            new(T0.AddSeconds(5), "power", "off", "now off", NodeId: id, Source: "region"),
            new(T0.AddSeconds(1.5), "dhcp", "DHCPDISCOVER", "", Mac: "52:54:00:00:00:02"),
            new(T0.AddSeconds(1.6), "signal", "OK", "", SystemId: other),
        ], Ct);

        var timeline = await BootEventStore.ForNodeAsync(c, id, since: null, limit: 100, Ct);

        timeline.Select(e => (e.Stage, e.Kind)).ShouldBe(
        [
            ("dhcp", "DHCPDISCOVER"), ("http", "GET"), ("status", "status"), ("signal", "OK"), ("power", "off"),
        ]);
        timeline[1].Bytes.ShouldBe(1234);
        timeline[1].Mac.ShouldBe("52:54:00:00:00:01");
        timeline[2].Detail.ShouldBe("From 'New' to 'Commissioning'");
        timeline[0].At.ShouldBe(T0.AddSeconds(1));
    }

    [Fact]
    public async Task Since_and_limit_keep_the_newest_events_in_time_order()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        var (id, _) = await MachineAsync(c, "52:54:00:00:00:03");
        await BootEventStore.InsertAsync(c, [.. Enumerable.Range(0, 10).Select(i => new BootEventRow(T0.AddSeconds(i), "metadata", $"call{i}", NodeId: id))], Ct);

        var newest = await BootEventStore.ForNodeAsync(c, id, since: null, limit: 3, Ct);
        var since = await BootEventStore.ForNodeAsync(c, id, since: T0.AddSeconds(8), limit: 100, Ct);

        newest.Select(e => e.Kind).ShouldBe(["call7", "call8", "call9"]);
        since.Select(e => e.Kind).ShouldBe(["call8", "call9"]);
    }

    [Fact]
    public async Task A_mac_that_never_enlisted_has_a_timeline_and_old_rows_are_pruned()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        await BootEventStore.InsertAsync(c,
        [
            new(T0, "dhcp", "DHCPDISCOVER", Mac: "52:54:00:aa:bb:cc"),
            new(T0.AddDays(8), "dhcp", "DHCPOFFER", "10.0.0.5", Mac: "52:54:00:aa:bb:cc"),
        ], Ct);

        (await BootEventStore.ForMacAsync(c, "52:54:00:AA:BB:CC", null, 100, Ct)).Select(e => e.Kind).ShouldBe(["DHCPDISCOVER", "DHCPOFFER"]);
        (await BootEventStore.PruneAsync(c, T0.AddDays(1), Ct)).ShouldBe(1);
        (await BootEventStore.ForMacAsync(c, "52:54:00:aa:bb:cc", null, 100, Ct)).Select(e => e.Kind).ShouldBe(["DHCPOFFER"]);
    }
}

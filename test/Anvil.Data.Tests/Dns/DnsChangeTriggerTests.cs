using Anvil.Testing.Postgres;
using Dapper;
using Npgsql;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Dns;

/// <summary>The 0004 triggers: what marks DNS as changed (and wakes the publisher), and what does not.</summary>
public sealed class DnsChangeTriggerTests
{
    private static async Task<long> MarkersAsync(NpgsqlConnection c) => await c.ExecuteScalarAsync<long>("SELECT count(*) FROM dns_change");

    private static async Task<long> NodeAsync(NpgsqlConnection c, string hostname) =>
        await c.ExecuteScalarAsync<long>(
            "INSERT INTO node (system_id, hostname, domain_id, zone_id) VALUES (@hostname, @hostname, 0, 1) RETURNING id", new { hostname });

    [Fact]
    public async Task Renaming_a_node_marks_dns_changed_but_a_power_state_or_status_write_does_not()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        var id = await NodeAsync(c, "trig1");
        var afterInsert = await MarkersAsync(c);
        afterInsert.ShouldBeGreaterThan(0);

        await c.ExecuteAsync("UPDATE node SET power_state = 'on', status = 4 WHERE id = @id", new { id });
        (await MarkersAsync(c)).ShouldBe(afterInsert);

        await c.ExecuteAsync("UPDATE node SET hostname = 'trig2' WHERE id = @id", new { id });
        (await MarkersAsync(c)).ShouldBe(afterInsert + 1);
    }

    [Fact]
    public async Task A_dns_setting_marks_dns_changed_and_another_setting_does_not()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        var before = await MarkersAsync(c);

        await c.ExecuteAsync("INSERT INTO config (name, value) VALUES ('maas_name', '\"x\"') ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value");
        (await MarkersAsync(c)).ShouldBe(before);

        await c.ExecuteAsync("INSERT INTO config (name, value) VALUES ('default_dns_ttl', '60') ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value");
        (await MarkersAsync(c)).ShouldBe(before + 1);

        await c.ExecuteAsync("DELETE FROM config WHERE name = 'default_dns_ttl'");
        (await MarkersAsync(c)).ShouldBe(before + 2);
    }

    [Fact]
    public async Task A_committed_change_notifies_listeners_and_a_rolled_back_one_leaves_nothing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var listener = await database.DataSource.OpenConnectionAsync();
        var notified = new List<string>();
        listener.Notification += (_, e) => notified.Add(e.Channel + ":" + e.Payload);
        await listener.ExecuteAsync("LISTEN dns_change");
        await using var c = await database.DataSource.OpenConnectionAsync();
        var before = await MarkersAsync(c);

        await using (var tx = await c.BeginTransactionAsync())
        {
            await c.ExecuteAsync("INSERT INTO dnsresource (name, domain_id) VALUES ('gone', 0)", transaction: tx);
            await tx.RollbackAsync();
        }

        (await MarkersAsync(c)).ShouldBe(before);
        await c.ExecuteAsync("INSERT INTO dnsresource (name, domain_id) VALUES ('kept', 0)");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (notified.Count == 0)
            await listener.WaitAsync(wait.Token);
        notified.ShouldBe(["dns_change:dnsresource"]);
        (await MarkersAsync(c)).ShouldBe(before + 1);
    }
}

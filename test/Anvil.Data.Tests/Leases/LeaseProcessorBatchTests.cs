using Anvil.Data.Leases;
using Anvil.Domain.Leases;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;
using static Anvil.Data.Tests.Leases.LeaseSeed;

namespace Anvil.Data.Tests.Leases;

/// <summary>
/// Batches applied set-based must leave what applying their events one at a time, in order,
/// leaves (maas-api.md §11.1), however the events repeat MACs and addresses.
/// </summary>
public sealed class LeaseProcessorBatchTests
{
    private static readonly string[] Hostnames = ["alpha", "beta", "gamma", NodeHostname, "(none)", "Not Valid!"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task A_batch_mixing_many_and_repeated_macs_and_addresses_has_the_effect_of_its_events_one_at_a_time(int seed)
    {
        var events = RandomEvents(new Random(seed), 300);
        await using var oneByOne = await CreateAsync();
        await using var batched = await CreateAsync();
        var sequential = new List<LeaseBatchResult>();
        foreach (var lease in events)
            sequential.Add(await LeaseProcessor.ApplyBatchAsync(oneByOne.Database, [lease]));

        var result = await LeaseProcessor.ApplyBatchAsync(batched.Database, events);

        result.Applied.ShouldBe(sequential.Sum(r => r.Applied));
        result.Ignored.ShouldBe(sequential.Sum(r => r.Ignored));
        result.Errors.ShouldBe(sequential.SelectMany(r => r.Errors));
        result.Applied.ShouldBeGreaterThan(200);
        var expected = await LeaseState.ReadAsync(oneByOne);
        var actual = await LeaseState.ReadAsync(batched);
        actual.Interfaces.ShouldBe(expected.Interfaces);
        actual.Discovered.ShouldBe(expected.Discovered);
        actual.Names.ShouldBe(expected.Names);
    }

    [Fact]
    public async Task Repeated_events_for_one_mac_leave_only_the_last_commits_address_and_name()
    {
        await using var database = await CreateAsync();
        const string mac = "02:00:00:00:10:01";

        var result = await LeaseProcessor.ApplyBatchAsync(
            database.Database,
            [Commit(mac, V4(20), "first"), Expiry(mac, V4(20)), Commit(mac, V4(21)), Release(mac, V4(21)), Commit(mac, V4(22), "last")]);

        result.Applied.ShouldBe(5);
        var state = await LeaseState.ReadAsync(database);
        state.Discovered.ShouldBe([$"{mac} {V4(22)} {V4Subnet} 600 {At:yyyy-MM-dd HH:mm:ss}+00"]);
        state.Names.ShouldBe([$"last {V4(22)}"]);
    }

    [Fact]
    public async Task An_address_taken_by_another_mac_before_its_old_mac_moves_on_keeps_its_row_and_name()
    {
        await using var database = await CreateAsync();
        const string before = "02:00:00:00:11:01";
        const string after = "02:00:00:00:11:02";
        await LeaseProcessor.ApplyBatchAsync(database.Database, [Commit(before, V4(30), "old")]);

        await LeaseProcessor.ApplyBatchAsync(database.Database, [Commit(after, V4(30)), Commit(before, V4(31))]);

        var state = await LeaseState.ReadAsync(database);
        state.Names.ShouldBe([$"old {V4(30)}"]);
        state.Discovered.Select(MacAndIp).ShouldBe([$"{before} {V4(31)}", $"{after} {V4(30)}"]);
    }

    [Fact]
    public async Task An_address_whose_old_mac_moves_on_first_loses_its_name_before_another_mac_takes_it()
    {
        await using var database = await CreateAsync();
        const string before = "02:00:00:00:12:01";
        const string after = "02:00:00:00:12:02";
        await LeaseProcessor.ApplyBatchAsync(database.Database, [Commit(before, V4(32), "old")]);

        await LeaseProcessor.ApplyBatchAsync(database.Database, [Commit(before, V4(33)), Commit(after, V4(32))]);

        var state = await LeaseState.ReadAsync(database);
        state.Names.ShouldBeEmpty();
        state.Discovered.Select(MacAndIp).ShouldBe([$"{before} {V4(33)}", $"{after} {V4(32)}"]);
    }

    [Fact]
    public async Task One_hostname_committed_by_two_clients_in_a_batch_points_at_both_addresses()
    {
        await using var database = await CreateAsync();

        await LeaseProcessor.ApplyBatchAsync(
            database.Database,
            [Commit("02:00:00:00:13:01", V4(40), "Shared"), Commit("02:00:00:00:13:02", V6(0x40), "shared")]);

        var state = await LeaseState.ReadAsync(database);
        state.Names.ShouldBe([$"shared {V4(40)}", $"shared {V6(0x40)}"]);
    }

    [Fact]
    public async Task A_hostname_a_node_has_is_not_linked()
    {
        await using var database = await CreateAsync();

        await LeaseProcessor.ApplyBatchAsync(database.Database, [Commit("02:00:00:00:14:01", V4(41), NodeHostname)]);

        var state = await LeaseState.ReadAsync(database);
        state.Names.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_batch_marks_dns_as_changed_in_its_own_transaction()
    {
        await using var database = await CreateAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        var before = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM dns_change");

        await using (var rolledBack = await database.DataSource.OpenConnectionAsync())
        await using (var tx = await rolledBack.BeginTransactionAsync())
        {
            await LeaseProcessor.ApplyBatchAsync(rolledBack, tx, [Commit("02:00:00:00:15:01", V4(42), "phone")], default);
            await tx.RollbackAsync();
        }

        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM dns_change")).ShouldBe(before);

        await LeaseProcessor.ApplyBatchAsync(database.Database, [Commit("02:00:00:00:15:02", V4(43), "tablet")]);

        var sources = (await c.QueryAsync<string>("SELECT DISTINCT source FROM dns_change")).ToList();
        sources.ShouldContain("staticipaddress");
        sources.ShouldContain("dnsresource_ip");
    }

    [Fact]
    public async Task Two_concurrent_batches_repeating_the_same_new_macs_lose_no_event_and_create_one_unknown_interface_per_mac()
    {
        await using var database = await CreateAsync();
        var macs = Enumerable.Range(0, 10).Select(i => $"02:00:00:00:16:{i:x2}").ToList();
        List<LeaseEvent> Batch(int offset) =>
        [
            .. macs.Select((m, i) => Commit(m, V4(10 + offset + i))),
            .. macs.Select((m, i) => Commit(m, V6(0x10 + offset + i))),
            .. macs.Select((m, i) => Commit(m, V4(20 + offset + i))),
        ];
        using var start = new Barrier(2);

        var results = await Task.WhenAll(
            Task.Run(() =>
            {
                start.SignalAndWait();
                return LeaseProcessor.ApplyBatchAsync(database.Database, Batch(0));
            }),
            Task.Run(() =>
            {
                start.SignalAndWait();
                return LeaseProcessor.ApplyBatchAsync(database.Database, Batch(30));
            }));

        results.Select(r => (r.Applied, r.Ignored, r.Errors.Count)).ShouldBe([(30, 0, 0), (30, 0, 0)]);
        var state = await LeaseState.ReadAsync(database);
        state.Interfaces.Count(i => i.Contains(" unknown ", StringComparison.Ordinal)).ShouldBe(macs.Count);
        foreach (var mac in macs)
            state.Interfaces.Count(i => i.StartsWith(mac, StringComparison.Ordinal)).ShouldBe(1);
        var left = state.Discovered.Select(MacAndIp).ToHashSet();
        var firstLast = macs.SelectMany((m, i) => new[] { $"{m} {V4(20 + i)}", $"{m} {V6(0x10 + i)}" }).ToHashSet();
        var secondLast = macs.SelectMany((m, i) => new[] { $"{m} {V4(50 + i)}", $"{m} {V6(0x10 + 30 + i)}" }).ToHashSet();
        (left.SetEquals(firstLast) || left.SetEquals(secondLast)).ShouldBeTrue(string.Join(", ", left));
    }

    [Fact]
    public async Task A_thousand_events_for_new_macs_commit_in_one_transaction()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using (var seed = await database.DataSource.OpenConnectionAsync())
        {
            await seed.ExecuteAsync(
                """
                INSERT INTO subnet (id, name, vlan_id, cidr) VALUES (1, 'big', 5001, '10.78.0.0/20');
                INSERT INTO iprange (subnet_id, type, start_ip, end_ip) VALUES (1, 'dynamic', '10.78.1.0', '10.78.14.255');
                """);
        }

        var events = Enumerable.Range(0, 1000).Select(i => Commit($"02:00:00:01:{i >> 8:x2}:{i & 0xff:x2}", $"10.78.{1 + (i >> 8)}.{i & 0xff}")).ToList();

        var result = await LeaseProcessor.ApplyBatchAsync(database.Database, events);

        result.Applied.ShouldBe(1000);
        await using var c = await database.DataSource.OpenConnectionAsync();
        (await c.QueryAsync<string>("SELECT DISTINCT xmin::text FROM staticipaddress WHERE alloc_type = 6")).ShouldHaveSingleItem();
        (await c.ExecuteScalarAsync<int>("SELECT count(*) FROM interface_ip")).ShouldBe(1000);
        (await c.ExecuteScalarAsync<int>("SELECT count(*) FROM interface WHERE type = 'unknown'")).ShouldBe(1000);
    }

    private static string MacAndIp(string discovered) => string.Join(' ', discovered.Split(' ')[..2]);

    /// <summary>Commits, expiries and releases over a few MACs (one a machine's) and addresses, both families, some outside the dynamic ranges or in no subnet.</summary>
    private static List<LeaseEvent> RandomEvents(Random random, int count)
    {
        var macs = Enumerable.Range(0, 6).Select(i => $"02:00:00:00:00:{i:x2}").Append(KnownMac).ToArray();
        var events = new List<LeaseEvent>();
        for (var i = 0; i < count; i++)
        {
            var mac = macs[random.Next(macs.Length)];
            var host = random.Next(100) < 95 ? 10 + random.Next(8) : 5;
            var ip = random.Next(100) switch
            {
                < 70 => V4(host),
                < 98 => V6(host),
                _ => "192.0.2.9",
            };
            var hostname = random.Next(3) == 0 ? Hostnames[random.Next(Hostnames.Length)] : null;
            events.Add(random.Next(10) switch
            {
                < 6 => Commit(mac, ip, hostname, i),
                < 8 => Expiry(mac, ip, i),
                _ => Release(mac, ip, i),
            });
        }

        return events;
    }
}

using Anvil.Data.Leases;
using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Anvil.Region.Tests.Api.Network;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Leases;

/// <summary>DHCP lease batches applied by the rules of maas-api.md §11.1, one transaction per batch.</summary>
public sealed class LeaseProcessorTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private static readonly DateTimeOffset At = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static int s_mac;

    private readonly IpamSetup _ipam = new(host);

    [Fact]
    public async Task Commit_for_an_unknown_mac_creates_an_unknown_eth0_on_the_subnet_vlan_with_a_discovered_address()
    {
        var (subnet, cidr) = await DynamicSubnetAsync();
        var mac = NewMac();
        var ip = IpamSetup.At(cidr, 20).ToString();

        var result = await LeaseProcessor.ApplyBatchAsync(host.Database, [Commit(mac, ip, leaseTime: 600)]);

        (result.Applied, result.Ignored, result.Errors.Count).ShouldBe((1, 0, 0));
        var nic = (await InterfacesAsync(mac)).ShouldHaveSingleItem();
        nic.ShouldBe(("eth0", "unknown", (long?)null, 5001L));
        (await DiscoveredAsync(mac)).ShouldBe([(ip, subnet, 600)]);
    }

    [Fact]
    public async Task Commit_for_a_known_mac_links_the_address_to_the_existing_interface()
    {
        var (_, cidr) = await DynamicSubnetAsync();
        var node = await host.CreateNodeAsync();
        var mac = NewMac();
        await AddInterfaceAsync(node.Id, mac);

        await LeaseProcessor.ApplyBatchAsync(host.Database, [Commit(mac, IpamSetup.At(cidr, 21).ToString())]);

        (await InterfacesAsync(mac)).ShouldBe([("eth0", "physical", (long?)node.Id, (long?)null)]);
        (await DiscoveredAsync(mac)).Select(d => d.Ip).ShouldBe([IpamSetup.At(cidr, 21).ToString()]);
    }

    [Fact]
    public async Task Addresses_outside_a_dynamic_range_are_ignored()
    {
        var (_, cidr) = await DynamicSubnetAsync();
        var mac = NewMac();

        var result = await LeaseProcessor.ApplyBatchAsync(host.Database, [Commit(mac, IpamSetup.At(cidr, 5).ToString())]);

        result.Ignored.ShouldBe(1);
        result.Applied.ShouldBe(0);
        (await InterfacesAsync(mac)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Addresses_in_no_subnet_or_of_the_wrong_family_are_errors_and_the_rest_of_the_batch_applies()
    {
        var (_, cidr) = await DynamicSubnetAsync();
        var good = NewMac();

        var result = await LeaseProcessor.ApplyBatchAsync(
            host.Database,
            [
                Commit(NewMac(), "192.0.2.77"),
                new LeaseEvent(LeaseAction.Commit, IpFamily.V6, NewMac(), IpamSetup.At(cidr, 22).ToString(), null, At),
                Commit(good, IpamSetup.At(cidr, 23).ToString()),
            ]);

        result.Applied.ShouldBe(1);
        result.Errors.Count.ShouldBe(2);
        result.Errors[0].ShouldContain("No subnet exists for: 192.0.2.77");
        result.Errors[1].ShouldContain("Family for the subnet does not match");
        (await DiscoveredAsync(good)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_new_commit_replaces_the_interfaces_other_discovered_address_of_the_family()
    {
        var (_, cidr) = await DynamicSubnetAsync();
        var mac = NewMac();

        await LeaseProcessor.ApplyBatchAsync(host.Database, [Commit(mac, IpamSetup.At(cidr, 30).ToString()), Commit(mac, IpamSetup.At(cidr, 31).ToString())]);

        (await DiscoveredAsync(mac)).Select(d => d.Ip).ShouldBe([IpamSetup.At(cidr, 31).ToString()]);
    }

    [Fact]
    public async Task Expiry_and_release_keep_a_discovered_row_without_an_address()
    {
        var (subnet, cidr) = await DynamicSubnetAsync();
        var expiring = NewMac();
        var releasing = NewMac();
        var first = IpamSetup.At(cidr, 40).ToString();
        var second = IpamSetup.At(cidr, 41).ToString();

        await LeaseProcessor.ApplyBatchAsync(
            host.Database,
            [
                Commit(expiring, first), Commit(releasing, second),
                Commit(expiring, first) with { Action = LeaseAction.Expiry },
                Commit(releasing, second) with { Action = LeaseAction.Release },
            ]);

        (await DiscoveredAsync(expiring)).ShouldBe([(null, subnet, 0)]);
        (await DiscoveredAsync(releasing)).ShouldBe([(null, subnet, 0)]);
    }

    [Fact]
    public async Task Expiry_of_an_unknown_mac_is_ignored()
    {
        var (_, cidr) = await DynamicSubnetAsync();
        var mac = NewMac();

        var result = await LeaseProcessor.ApplyBatchAsync(host.Database, [Commit(mac, IpamSetup.At(cidr, 42).ToString()) with { Action = LeaseAction.Expiry }]);

        result.Ignored.ShouldBe(1);
        (await InterfacesAsync(mac)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_lease_that_moves_to_another_mac_moves_its_discovered_row()
    {
        var (_, cidr) = await DynamicSubnetAsync();
        var before = NewMac();
        var after = NewMac();
        var ip = IpamSetup.At(cidr, 43).ToString();

        await LeaseProcessor.ApplyBatchAsync(host.Database, [Commit(before, ip), Commit(after, ip)]);

        (await DiscoveredAsync(before)).ShouldBeEmpty();
        (await DiscoveredAsync(after)).Select(d => d.Ip).ShouldBe([ip]);
    }

    [Fact]
    public async Task A_committed_hostname_becomes_a_dns_name_until_the_lease_expires_unless_a_node_has_it()
    {
        var (_, cidr) = await DynamicSubnetAsync();
        var node = await host.CreateNodeAsync();
        var mac = NewMac();
        var other = NewMac();
        var name = RegionTestHost.Unique("phone");
        var ip = IpamSetup.At(cidr, 44).ToString();

        await LeaseProcessor.ApplyBatchAsync(host.Database, [Commit(mac, ip) with { Hostname = name }, Commit(other, IpamSetup.At(cidr, 45).ToString()) with { Hostname = node.Hostname }]);
        (await DnsNamesAsync(name)).ShouldBe([ip]);
        (await DnsNamesAsync(node.Hostname)).ShouldBeEmpty();

        await LeaseProcessor.ApplyBatchAsync(host.Database, [Commit(mac, ip) with { Action = LeaseAction.Expiry }]);
        (await DnsNamesAsync(name)).ShouldBeEmpty();
        (await host.Database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM dnsresource WHERE name = @name", new { name }), default)).ShouldBe(0);
    }

    [Fact]
    public async Task A_batch_of_a_thousand_events_commits_in_one_transaction()
    {
        var (_, cidr) = await DynamicSubnetAsync(prefix: 22, dynamicFrom: 10, dynamicTo: 1010);
        var macs = Enumerable.Range(0, 1000).Select(_ => NewMac()).ToList();
        var events = macs.Select((m, i) => Commit(m, IpamSetup.At(cidr, (uint)(10 + i)).ToString())).ToList();

        var result = await LeaseProcessor.ApplyBatchAsync(host.Database, events);

        result.Applied.ShouldBe(1000);
        var transactions = await host.Database.ReadAsync(
            c => c.QueryAsync<string>(
                "SELECT DISTINCT a.xmin::text FROM staticipaddress a WHERE a.alloc_type = 6 AND a.ip << @cidr::cidr",
                new { cidr = cidr.ToString() }),
            default);
        transactions.ShouldHaveSingleItem();
        (await host.Database.ReadAsync(c => c.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM staticipaddress WHERE alloc_type = 6 AND ip << @cidr::cidr", new { cidr = cidr.ToString() }), default)).ShouldBe(1000);
    }

    [Fact]
    public async Task Two_concurrent_batches_with_the_same_macs_create_one_interface_and_one_address_per_mac()
    {
        var (_, cidr) = await DynamicSubnetAsync(prefix: 24, dynamicFrom: 10, dynamicTo: 250);
        var macs = Enumerable.Range(0, 50).Select(_ => NewMac()).ToList();
        var first = macs.Select((m, i) => Commit(m, IpamSetup.At(cidr, (uint)(10 + i)).ToString())).ToList();
        var second = macs.Select((m, i) => Commit(m, IpamSetup.At(cidr, (uint)(100 + i)).ToString())).Reverse().ToList();

        var results = await Task.WhenAll(
            Task.Run(() => LeaseProcessor.ApplyBatchAsync(host.Database, first)),
            Task.Run(() => LeaseProcessor.ApplyBatchAsync(host.Database, second)));

        results.Select(r => r.Applied).ShouldBe([50, 50]);
        foreach (var mac in macs)
        {
            (await InterfacesAsync(mac)).Count.ShouldBe(1);
            (await DiscoveredAsync(mac)).Count.ShouldBe(1);
        }
    }

    private async Task<(long Subnet, IpNetwork Cidr)> DynamicSubnetAsync(int prefix = 24, uint dynamicFrom = 20, uint dynamicTo = 60)
    {
        var cidr = IpamSetup.NextV4(prefix);
        var subnet = await _ipam.CreateSubnetAsync(cidr);
        await _ipam.AddRangeAsync(subnet, "dynamic", IpamSetup.At(cidr, dynamicFrom).ToString(), IpamSetup.At(cidr, dynamicTo).ToString());
        return (subnet, cidr);
    }

    private static LeaseEvent Commit(string mac, string ip, int leaseTime = 3600) =>
        new(LeaseAction.Commit, IpFamily.V4, mac, ip, null, At, leaseTime);

    private static string NewMac()
    {
        var n = Interlocked.Increment(ref s_mac) + (Environment.ProcessId % 1000 * 100000);
        return $"02:1e:{(n >> 24) & 0xff:x2}:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}";
    }

    private Task<int> AddInterfaceAsync(long nodeId, string mac) =>
        host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO interface (node_id, name, mac_address) VALUES (@nodeId, 'eth0', @mac::macaddr)", new { nodeId, mac }, tx)),
            default);

    private async Task<List<(string Name, string Type, long? NodeId, long? VlanId)>> InterfacesAsync(string mac) =>
        (await host.Database.ReadAsync(
            c => c.QueryAsync<(string, string, long?, long?)>(
                "SELECT name, type, node_id, vlan_id FROM interface WHERE mac_address = @mac::macaddr ORDER BY id", new { mac }),
            default)).AsList();

    private async Task<List<(string? Ip, long SubnetId, int LeaseTime)>> DiscoveredAsync(string mac) =>
        (await host.Database.ReadAsync(
            c => c.QueryAsync<(string?, long, int)>(
                """
                SELECT host(a.ip), a.subnet_id, a.lease_time FROM staticipaddress a
                JOIN interface_ip l ON l.staticipaddress_id = a.id JOIN interface i ON i.id = l.interface_id
                WHERE i.mac_address = @mac::macaddr AND a.alloc_type = 6 ORDER BY a.id
                """,
                new { mac }),
            default)).AsList();

    private async Task<List<string>> DnsNamesAsync(string name) =>
        (await host.Database.ReadAsync(
            c => c.QueryAsync<string>(
                """
                SELECT host(a.ip) FROM dnsresource r JOIN dnsresource_ip x ON x.dnsresource_id = r.id
                JOIN staticipaddress a ON a.id = x.staticipaddress_id WHERE r.name = @name
                """,
                new { name }),
            default)).AsList();
}

using System.Diagnostics;
using System.Net;
using Anvil.Data.Dns;
using Anvil.Domain.Dns;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Data.Tests.Dns;

/// <summary>The snapshot reads the whole database, so every test takes a database of its own.</summary>
public sealed class DnsSnapshotQueryTests(ITestOutputHelper output)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    // Node 1 "web": eth0 (the first physical NIC, so the boot interface) under bond0, bond0 under
    // br0, eth0.100 a VLAN on br0; eth1 a second NIC. Node 2 "late": its NIC with the lower id is
    // the boot interface whatever the names say. An interface without a node (a lease's unknown
    // MAC) and addresses without an IP or held temporarily are not read.
    private const string NetworkSql =
        """
        INSERT INTO domain (id, name, authoritative, ttl, forward_dns_servers) VALUES
            (7, 'lab.example', true, 600, '{}'),
            (8, 'corp.example', false, NULL, '{192.0.2.53,2001:db8::53}');
        INSERT INTO subnet (id, name, vlan_id, cidr, rdns_mode) VALUES
            (11, 'a', 5001, '10.0.0.0/24', 2),
            (12, 'b', 5001, '10.0.1.0/26', 1),
            (13, 'c', 5001, '2001:db8::/64', 0);
        INSERT INTO node (id, system_id, hostname, domain_id, zone_id, address_ttl) VALUES
            (1, 'abc123', 'web', 7, 1, 120),
            (2, 'def456', 'late', 0, 1, NULL);
        INSERT INTO interface (id, node_id, name, type, mac_address) VALUES
            (101, 1, 'eth0', 'physical', '02:00:00:00:00:01'),
            (102, 1, 'eth1', 'physical', '02:00:00:00:00:02'),
            (103, 1, 'bond0', 'bond', '02:00:00:00:00:01'),
            (104, 1, 'br0', 'bridge', '02:00:00:00:00:01'),
            (105, 1, 'eth0.100', 'vlan', '02:00:00:00:00:01'),
            (201, 2, 'eth9', 'physical', '02:00:00:00:00:09'),
            (202, 2, 'eth0', 'physical', '02:00:00:00:00:10');
        INSERT INTO interface (id, node_id, name, type, mac_address) VALUES (301, NULL, 'eth0', 'unknown', '02:00:00:00:00:99');
        INSERT INTO interface_relationship (parent_id, child_id) VALUES (101, 103), (103, 104), (104, 105);
        INSERT INTO staticipaddress (id, ip, alloc_type, subnet_id, temp_expires_on) VALUES
            (1001, '10.0.0.5', 0, 11, NULL),
            (1002, '10.0.1.5', 6, 12, NULL),
            (1003, '2001:db8::5', 1, 13, NULL),
            (1004, '10.0.0.6', 1, 11, NULL),
            (1005, NULL, 5, 11, NULL),
            (1006, '10.0.0.7', 0, 11, now() + interval '1 minute'),
            (2001, '10.0.0.20', 1, 11, NULL),
            (2002, '10.0.0.21', 1, 11, NULL),
            (3001, '10.0.0.99', 6, 11, NULL);
        INSERT INTO interface_ip (interface_id, staticipaddress_id) VALUES
            (101, 1004), (104, 1001), (102, 1002), (105, 1003), (102, 1005), (102, 1006),
            (202, 2001), (201, 2002), (301, 3001);
        """;

    [Fact]
    public async Task Node_addresses_mark_the_boot_chain_and_come_in_hostname_preference_order()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await ExecuteAsync(db, NetworkSql);

        var snapshot = await ReadAsync(db);

        snapshot.NodeAddresses.ShouldBe(
        [
            // The bridge on the bond on the boot NIC wins over the NIC itself; the VLAN on the chain is boot too.
            new DnsNodeAddressRow(1, "web", 7, 120, "br0", true, IPAddress.Parse("10.0.0.5")),
            new DnsNodeAddressRow(1, "web", 7, 120, "eth0", true, IPAddress.Parse("10.0.0.6")),
            new DnsNodeAddressRow(1, "web", 7, 120, "eth0.100", true, IPAddress.Parse("2001:db8::5")),
            new DnsNodeAddressRow(1, "web", 7, 120, "eth1", false, IPAddress.Parse("10.0.1.5"), Discovered: true),
            new DnsNodeAddressRow(2, "late", 0, null, "eth9", true, IPAddress.Parse("10.0.0.21")),
            new DnsNodeAddressRow(2, "late", 0, null, "eth0", false, IPAddress.Parse("10.0.0.20")),
        ]);
    }

    [Fact]
    public async Task Domains_subnets_and_the_default_ttl_are_read()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await ExecuteAsync(db, NetworkSql);

        var snapshot = await ReadAsync(db);

        snapshot.DefaultTtl.ShouldBe(30);
        snapshot.Domains.Select(d => (d.Id, d.Name, d.Authoritative, d.Ttl, d.IsDefault, string.Join(',', d.ForwardServers))).ShouldBe(
        [
            (0L, "maas", true, (int?)null, true, ""),
            (7L, "lab.example", true, 600, false, ""),
            (8L, "corp.example", false, null, false, "192.0.2.53,2001:db8::53"),
        ]);
        snapshot.Subnets.ShouldBe(
        [
            new DnsSubnetRow(11, IPNetwork.Parse("10.0.0.0/24"), 2),
            new DnsSubnetRow(12, IPNetwork.Parse("10.0.1.0/26"), 1),
            new DnsSubnetRow(13, IPNetwork.Parse("2001:db8::/64"), 0),
        ]);
    }

    [Fact]
    public async Task A_stored_default_dns_ttl_replaces_the_catalog_default()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await ExecuteAsync(db, "INSERT INTO config (name, value) VALUES ('default_dns_ttl', '45'::jsonb)");

        (await ReadAsync(db)).DefaultTtl.ShouldBe(45);
    }

    [Fact]
    public async Task Resource_addresses_and_data_are_read_with_their_ttls()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await ExecuteAsync(
            db,
            """
            INSERT INTO dnsresource (id, name, domain_id, address_ttl) VALUES (1, 'www', 0, 300), (2, '@', 0, NULL), (3, 'mail', 0, NULL);
            INSERT INTO staticipaddress (id, ip, alloc_type) VALUES (1, '192.0.2.10', 4), (2, '192.0.2.11', 4), (3, NULL, 6);
            INSERT INTO dnsresource_ip (dnsresource_id, staticipaddress_id) VALUES (1, 1), (2, 2), (3, 3);
            INSERT INTO dnsdata (id, dnsresource_id, rrtype, rrdata, ttl) VALUES (1, 2, 'MX', '10 mail', 900), (2, 1, 'TXT', 'hello', NULL);
            """);

        var snapshot = await ReadAsync(db);

        snapshot.ResourceAddresses.ShouldBe(
        [
            new DnsResourceAddressRow("www", 0, 300, IPAddress.Parse("192.0.2.10")),
            new DnsResourceAddressRow("@", 0, null, IPAddress.Parse("192.0.2.11")),
        ]);
        snapshot.ResourceData.ShouldBe(
        [
            new DnsResourceDataRow("@", 0, "MX", "10 mail", 900),
            new DnsResourceDataRow("www", 0, "TXT", "hello", null),
        ]);
    }

    [Fact]
    public async Task The_snapshot_plans_into_the_zones_the_network_model_implies()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await ExecuteAsync(db, NetworkSql);

        var plan = DnsZonePlanner.Plan(await ReadAsync(db));

        plan.Zones.Select(z => z.Name).ShouldBe(["lab.example", "maas", "0-26.1.0.10.in-addr.arpa", "0.0.10.in-addr.arpa"]);
        // The discovered address on eth1 is left out: the node has assigned ones.
        plan.Zones.Single(z => z.Name == "lab.example").Records.Select(r => $"{r.Name} {r.Ttl} {r.Type} {r.Data}").ShouldBe(
        [
            "eth0.web.lab.example 120 A 10.0.0.6",
            "web.lab.example 120 A 10.0.0.5",
            "web.lab.example 120 AAAA 2001:db8::5",
        ]);
        plan.Zones.Single(z => z.Name == "0.0.10.in-addr.arpa").Records.Select(r => $"{r.Name} {r.Data}").ShouldBe(
        [
            "20.0.0.10.in-addr.arpa eth0.late.maas.",
            "21.0.0.10.in-addr.arpa late.maas.",
            "5.0.0.10.in-addr.arpa web.lab.example.",
            "6.0.0.10.in-addr.arpa eth0.web.lab.example.",
        ]);
        plan.Zones.Single(z => z.Name == "maas").Records.Select(r => $"{r.Name} {r.Type} {r.Data}").ShouldBe(
            ["eth0.late.maas A 10.0.0.20", "late.maas A 10.0.0.21"]);
        plan.ForwardZones.Single().Name.ShouldBe("corp.example");
    }

    [Fact]
    public async Task Ten_thousand_nodes_with_two_interfaces_each_are_all_planned()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await ExecuteAsync(
            db,
            """
            INSERT INTO subnet (id, name, vlan_id, cidr, rdns_mode) VALUES (21, 'boot', 5001, '10.0.0.0/16', 2), (22, 'data', 5001, '10.1.0.0/16', 2);
            INSERT INTO node (id, system_id, hostname, domain_id, zone_id) SELECT g, 'sys' || g, 'node-' || g, 0, 1 FROM generate_series(1, 10000) g;
            INSERT INTO interface (id, node_id, name, type) SELECT (g * 2) + k, g, 'eth' || k, 'physical' FROM generate_series(1, 10000) g, generate_series(0, 1) k;
            INSERT INTO staticipaddress (id, ip, alloc_type, subnet_id)
                SELECT id, (CASE name WHEN 'eth0' THEN inet '10.0.0.0' ELSE inet '10.1.0.0' END) + node_id, 1, CASE name WHEN 'eth0' THEN 21 ELSE 22 END FROM interface;
            INSERT INTO interface_ip (interface_id, staticipaddress_id) SELECT id, id FROM interface;
            ANALYZE;
            """);

        DnsZonePlanner.Plan(await ReadAsync(db)); // warm up: connection, plan cache, JIT
        var clock = Stopwatch.StartNew();
        var snapshot = await ReadAsync(db);
        var queried = clock.Elapsed;
        var plan = DnsZonePlanner.Plan(snapshot);
        var planned = clock.Elapsed - queried;

        output.WriteLine($"10,000 nodes x 2 interfaces: query {queried.TotalMilliseconds:F0} ms, plan {planned.TotalMilliseconds:F0} ms");
        snapshot.NodeAddresses.Count.ShouldBe(20_000);
        plan.Zones.Single(z => z.Name == "maas").Records.Count.ShouldBe(20_000);
        plan.Zones.Where(z => z.Kind == DnsZoneKind.Reverse).Sum(z => z.Records.Count).ShouldBe(20_000);
        plan.Zones.Single(z => z.Name == "maas").Records.ShouldContain(new DnsRecordPlan("eth1.node-7.maas", "A", "10.1.0.7", 30));
    }

    private static async Task ExecuteAsync(TestDatabase db, string sql)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync(sql);
    }

    private static async Task<DnsSnapshot> ReadAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(Ct);
        return await DnsSnapshotQuery.ReadAsync(connection, Ct);
    }
}

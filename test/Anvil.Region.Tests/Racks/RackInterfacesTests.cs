using Anvil.Data.Network;
using Anvil.Domain.Errors;
using Anvil.Region.Tests.Api.Network;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Racks;

/// <summary>A rack's reported interfaces becoming interfaces, fabrics, VLANs, subnets and STICKY addresses.</summary>
public sealed class RackInterfacesTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private static int s_mac;

    private readonly IpamSetup _ipam = new(host);

    [Fact]
    public async Task An_address_in_an_unknown_block_creates_a_fabric_its_untagged_vlan_and_the_subnet()
    {
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var cidr = IpamSetup.NextV4(24);
        var ip = IpamSetup.At(cidr, 2).ToString();

        var result = await RegisterAsync(rack.Id, Physical("eth0", NewMac(), new ReportedLink($"{ip}/24")));

        (result.FabricsCreated, result.SubnetsCreated, result.Skipped.Count).ShouldBe((1, 1, 0));
        var (vid, subnetName, sticky) = await InterfaceStateAsync(rack.Id, "eth0");
        vid.ShouldBe(0);
        subnetName.ShouldBe(cidr.ToString());
        sticky.ShouldBe([ip]);
    }

    [Fact]
    public async Task An_address_in_a_known_subnet_puts_the_interface_on_that_subnets_vlan()
    {
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var cidr = IpamSetup.NextV4(24);
        await _ipam.CreateSubnetAsync(cidr);

        var result = await RegisterAsync(rack.Id, Physical("eth0", NewMac(), new ReportedLink(cidr.ToString(), IpamSetup.At(cidr, 3).ToString())));

        (result.FabricsCreated, result.SubnetsCreated).ShouldBe((0, 0));
        (await VlanIdAsync(rack.Id, "eth0")).ShouldBe(5001);
        (await InterfaceStateAsync(rack.Id, "eth0")).Sticky.ShouldBe([IpamSetup.At(cidr, 3).ToString()]);
    }

    [Fact]
    public async Task A_vlan_interface_gets_a_tagged_vlan_on_its_parents_fabric()
    {
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var untagged = IpamSetup.NextV4(24);
        var tagged = IpamSetup.NextV4(24);

        var result = await RegisterAsync(
            rack.Id,
            new ReportedInterface("eth0.42", "vlan", NewMac(), ["eth0"], 42, [new ReportedLink($"{IpamSetup.At(tagged, 1)}/24")]),
            Physical("eth0", NewMac(), new ReportedLink($"{IpamSetup.At(untagged, 1)}/24")));

        (result.FabricsCreated, result.VlansCreated, result.SubnetsCreated).ShouldBe((1, 1, 2));
        var fabrics = await host.Database.ReadAsync(
            c => c.QueryAsync<(string Name, int Vid, long Fabric)>(
                "SELECT i.name, v.vid, v.fabric_id FROM interface i JOIN vlan v ON v.id = i.vlan_id WHERE i.node_id = @id ORDER BY i.name", new { id = rack.Id }),
            default);
        var rows = fabrics.ToList();
        rows.Select(r => (r.Name, r.Vid)).ShouldBe([("eth0", 0), ("eth0.42", 42)]);
        rows[0].Fabric.ShouldBe(rows[1].Fabric);
        (await host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<string>(
                "SELECT p.name FROM interface_relationship r JOIN interface p ON p.id = r.parent_id JOIN interface ch ON ch.id = r.child_id WHERE ch.node_id = @id AND ch.name = 'eth0.42'",
                new { id = rack.Id }),
            default)).ShouldBe("eth0");
    }

    [Fact]
    public async Task Registering_again_with_the_same_report_changes_nothing()
    {
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var cidr = IpamSetup.NextV4(24);
        ReportedInterface[] report =
        [
            Physical("eth0", NewMac(), new ReportedLink($"{IpamSetup.At(cidr, 4)}/24")),
            Physical("eth1", NewMac()),
        ];
        await RegisterAsync(rack.Id, report);
        var before = await SnapshotAsync(rack.Id);

        var again = await RegisterAsync(rack.Id, report);

        (again.FabricsCreated, again.VlansCreated, again.SubnetsCreated).ShouldBe((0, 0, 0));
        (await SnapshotAsync(rack.Id)).ShouldBe(before);
    }

    [Fact]
    public async Task Interfaces_and_addresses_no_longer_reported_are_removed()
    {
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var cidr = IpamSetup.NextV4(24);
        var eth0 = NewMac();
        await RegisterAsync(rack.Id, Physical("eth0", eth0, new ReportedLink($"{IpamSetup.At(cidr, 5)}/24")), Physical("eth1", NewMac(), new ReportedLink($"{IpamSetup.At(cidr, 6)}/24")));

        await RegisterAsync(rack.Id, Physical("eth0", eth0, new ReportedLink($"{IpamSetup.At(cidr, 7)}/24")));

        (await SnapshotAsync(rack.Id)).ShouldBe([$"eth0 {IpamSetup.At(cidr, 7)}"]);
        (await _ipam.AddressesOfAsync(await SubnetIdAsync(cidr.ToString()))).ShouldBe([IpamSetup.At(cidr, 7).ToString()]);
    }

    [Fact]
    public async Task A_mac_seen_in_leases_before_registration_hands_its_observed_addresses_to_the_rack_interface()
    {
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var mac = NewMac();
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                """
                WITH i AS (INSERT INTO interface (node_id, name, type, mac_address) VALUES (NULL, 'eth0', 'unknown', @mac::macaddr) RETURNING id),
                     a AS (INSERT INTO staticipaddress (ip, alloc_type) VALUES (NULL, 6) RETURNING id)
                INSERT INTO interface_ip SELECT i.id, a.id FROM i, a
                """,
                new { mac },
                tx)),
            default);

        await RegisterAsync(rack.Id, Physical("eno1", mac));

        var owners = await host.Database.ReadAsync(
            c => c.QueryAsync<long?>(
                "SELECT i.node_id FROM interface i JOIN interface_ip l ON l.interface_id = i.id WHERE i.mac_address = @mac::macaddr", new { mac }),
            default);
        owners.ShouldBe([(long?)rack.Id]);
    }

    [Fact]
    public async Task A_physical_mac_of_another_node_is_a_conflict()
    {
        var machine = await host.CreateNodeAsync();
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var mac = NewMac();
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO interface (node_id, name, mac_address) VALUES (@id, 'eth0', @mac::macaddr)", new { id = machine.Id, mac }, tx)),
            default);

        await Should.ThrowAsync<ConflictException>(() => RegisterAsync(rack.Id, Physical("eth0", mac)));
    }

    private Task<RackRegistrationResult> RegisterAsync(long rackId, params ReportedInterface[] interfaces) =>
        host.Database.InTransactionAsync((c, tx) => RackInterfaces.RegisterAsync(c, tx, rackId, interfaces), default);

    private static ReportedInterface Physical(string name, string mac, params ReportedLink[] links) => new(name, "physical", mac, [], null, links);

    private static string NewMac()
    {
        var n = Interlocked.Increment(ref s_mac) + (Environment.ProcessId % 1000 * 100000);
        return $"02:2a:{(n >> 24) & 0xff:x2}:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}";
    }

    private Task<long> VlanIdAsync(long nodeId, string name) =>
        host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<long>("SELECT vlan_id FROM interface WHERE node_id = @nodeId AND name = @name", new { nodeId, name }), default);

    private Task<long> SubnetIdAsync(string cidr) =>
        host.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM subnet WHERE cidr = @cidr::cidr", new { cidr }), default);

    private async Task<(int Vid, string? SubnetName, List<string> Sticky)> InterfaceStateAsync(long nodeId, string name)
    {
        var vid = await host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<int>(
                "SELECT v.vid FROM interface i JOIN vlan v ON v.id = i.vlan_id WHERE i.node_id = @nodeId AND i.name = @name", new { nodeId, name }),
            default);
        var sticky = (await host.Database.ReadAsync(
            c => c.QueryAsync<(string Ip, string Subnet)>(
                """
                SELECT host(a.ip), s.name FROM interface i JOIN interface_ip l ON l.interface_id = i.id
                JOIN staticipaddress a ON a.id = l.staticipaddress_id JOIN subnet s ON s.id = a.subnet_id
                WHERE i.node_id = @nodeId AND i.name = @name AND a.alloc_type = 1 ORDER BY a.ip
                """,
                new { nodeId, name }),
            default)).ToList();
        return (vid, sticky.FirstOrDefault().Subnet, sticky.Select(s => s.Ip).ToList());
    }

    /// <summary>Every interface of the node with its STICKY addresses, as comparable text.</summary>
    private async Task<List<string>> SnapshotAsync(long nodeId) =>
        (await host.Database.ReadAsync(
            c => c.QueryAsync<string>(
                """
                SELECT i.name || coalesce(' ' || string_agg(host(a.ip), ',' ORDER BY a.ip), '')
                FROM interface i LEFT JOIN interface_ip l ON l.interface_id = i.id
                LEFT JOIN staticipaddress a ON a.id = l.staticipaddress_id AND a.alloc_type = 1
                WHERE i.node_id = @nodeId GROUP BY i.id, i.name ORDER BY i.name
                """,
                new { nodeId }),
            default)).AsList();
}

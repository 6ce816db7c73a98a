using System.Net;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Api.Interfaces;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

/// <summary>Commissioning that passes links the interface the machine booted through to its subnet (AUTO), as MAAS does.</summary>
public sealed class InitialNetworkingTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);
    private readonly InterfaceSetup _net = new(host);

    [Fact]
    public async Task The_interface_with_the_dhcp_lease_gets_an_auto_link_to_the_lease_subnet()
    {
        var (node, nicId, subnetId) = await CommissioningMachineWithLeaseAsync();

        await (await MetadataHarness.SignalAsync(node.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NodeStatus.READY);
        (await AutoLinksAsync(nicId)).ShouldBe([subnetId]);
    }

    [Fact]
    public async Task An_interface_already_configured_or_skip_networking_is_left_alone()
    {
        var (configured, configuredNic, subnetId) = await CommissioningMachineWithLeaseAsync();
        await _md.ExecuteAsync(
            """
            WITH a AS (INSERT INTO staticipaddress (ip, alloc_type, subnet_id) VALUES (NULL, 5, @subnetId) RETURNING id)
            INSERT INTO interface_ip (interface_id, staticipaddress_id) SELECT @nic, id FROM a
            """,
            new { nic = configuredNic, subnetId });
        var (skipped, skippedNic, _) = await CommissioningMachineWithLeaseAsync();
        await _md.ExecuteAsync("UPDATE node SET skip_networking = true WHERE id = @id", new { id = skipped.Id });

        await (await MetadataHarness.SignalAsync(configured.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);
        await (await MetadataHarness.SignalAsync(skipped.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await AutoLinksAsync(configuredNic)).ShouldBeEmpty();
        (await AutoLinksAsync(skippedNic)).ShouldBeEmpty();
    }

    /// <summary>A commissioning machine whose physical NIC holds an observed (DHCP) address on a fresh subnet.</summary>
    private async Task<(MetadataNodeUnderTest Node, long Nic, long Subnet)> CommissioningMachineWithLeaseAsync()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        var (_, vlan, _) = await _net.FabricAsync();
        var (subnetId, cidr) = await _net.SubnetAsync(vlan);
        var nic = await _md.ScalarAsync<long>(
            """
            INSERT INTO interface (node_id, name, type, mac_address) VALUES (@id, 'eth9', 'physical', @mac::macaddr) RETURNING id
            """,
            new { id = node.Id, mac = $"52:54:01:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}" });
        await _md.ExecuteAsync(
            """
            WITH a AS (INSERT INTO staticipaddress (ip, alloc_type, subnet_id) VALUES (@ip::inet, 6, @subnetId) RETURNING id)
            INSERT INTO interface_ip (interface_id, staticipaddress_id) SELECT @nic, id FROM a
            """,
            new { ip = InterfaceSetup.At(cidr, 5), subnetId, nic });
        return (node, nic, subnetId);
    }

    private async Task<long[]> AutoLinksAsync(long nic) =>
        (await host.Database.ReadAsync(
            async c => await Dapper.SqlMapper.QueryAsync<long>(c, new Dapper.CommandDefinition(
                "SELECT a.subnet_id FROM interface_ip l JOIN staticipaddress a ON a.id = l.staticipaddress_id WHERE l.interface_id = @nic AND a.alloc_type = 0",
                new { nic })),
            CancellationToken.None)).ToArray();
}

using System.Net;
using Anvil.Region.Tests.Api.Network;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>AUTO links get their address when deployment starts and give it back on release.</summary>
public sealed class MachineAutoAddressTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MachineSetup _machines = new(host);
    private readonly IpamSetup _ipam = new(host);

    [Fact]
    public async Task Deploy_assigns_the_auto_link_an_address_and_release_returns_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var cidr = IpamSetup.NextV4(28);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString());
        var systemId = await _machines.CreateReadyAsync(admin);
        await LinkAutoAsync(systemId, subnetId);
        await TestImages.AddDefaultAsync(host.Database);

        (await admin.Client.PostOpAsync($"machines/{systemId}/", "deploy")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var assigned = await AutoAddressAsync(systemId);
        assigned.ShouldNotBeNull();
        assigned.ShouldBe(IpamSetup.At(cidr, 2).ToString()); // smallest-first: .1 is the gateway
        (await admin.Client.PostOpAsync($"machines/{systemId}/", "release")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AutoAddressAsync(systemId)).ShouldBeNull();
        (await _ipam.AddressesOfAsync(subnetId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Deploy_on_an_exhausted_subnet_is_503_and_changes_nothing()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var cidr = IpamSetup.NextV4(30);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString());
        await _ipam.UseAsync(subnetId, IpamSetup.At(cidr, 2).ToString());
        var systemId = await _machines.CreateReadyAsync(admin);
        await LinkAutoAsync(systemId, subnetId);
        await TestImages.AddDefaultAsync(host.Database);

        var response = await admin.Client.PostOpAsync($"machines/{systemId}/", "deploy");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldContain("No more IPs available");
        (await _machines.RowAsync(systemId)).Status.ShouldBe((int)Anvil.Domain.Machines.NodeStatus.READY);
        (await AutoAddressAsync(systemId)).ShouldBeNull();
    }

    /// <summary>eth0's AUTO link to the subnet, as linking an interface will create it (an address row with no IP yet).</summary>
    private Task<int> LinkAutoAsync(string systemId, long subnetId) =>
        host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                """
                WITH a AS (INSERT INTO staticipaddress (ip, alloc_type, subnet_id) VALUES (NULL, 0, @subnetId) RETURNING id)
                INSERT INTO interface_ip (interface_id, staticipaddress_id)
                SELECT i.id, a.id FROM a, interface i JOIN node n ON n.id = i.node_id WHERE n.system_id = @systemId AND i.name = 'eth0'
                """,
                new { systemId, subnetId },
                tx)),
            CancellationToken.None);

    private Task<string?> AutoAddressAsync(string systemId) =>
        host.Database.ReadAsync(
            c => c.QuerySingleOrDefaultAsync<string?>(
                """
                SELECT host(a.ip) FROM staticipaddress a JOIN interface_ip l ON l.staticipaddress_id = a.id
                JOIN interface i ON i.id = l.interface_id JOIN node n ON n.id = i.node_id
                WHERE n.system_id = @systemId AND a.alloc_type = 0
                """,
                new { systemId }),
            CancellationToken.None);
}

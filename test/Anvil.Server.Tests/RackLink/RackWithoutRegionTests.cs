using Anvil.Server.Support;
using Anvil.Testing;
using Anvil.Testing.Network;
using Anvil.Testing.Postgres;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Anvil.Server.RackLink;

/// <summary>The rack role as anvild runs it, with every region taken away and given back.</summary>
public sealed class RackWithoutRegionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_all_regions_stopped_a_new_client_still_gets_a_lease_that_reaches_the_region_when_it_returns()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var lab = await ClientLab.CreateAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), $"anvil-rackrole-{Guid.NewGuid():N}");
        var options = new AnvildOptions
        {
            Role = "rack",
            DataDir = dataDir,
            RackInterfaces = lab.ServerInterface,
            RackHttpListen = $"http://127.0.0.1:{LocalPorts.FreeTcp()}",
            TftpListen = $"127.0.0.1:{LocalPorts.FreeUdp()}",
        };
        try
        {
            await using var rack = await RackRole.StartAsync(options, [region.Url], await region.SecretAsync(), NullLoggerFactory.Instance, CancellationToken.None);
            await RackHarness.WaitUntilAsync(() => rack.Agent.IsRegistered, "the rack to register");
            await RackLinkTests.EnableDhcpAsync(region, rack.Agent.SystemId!, lab.ServerAddress, lab.Subnet.Host(100), lab.Subnet.Host(199));
            await rack.Agent.RefreshConfigNowAsync(CancellationToken.None);
            await RackHarness.WaitUntilAsync(() => rack.Dhcp.Interfaces.Contains(lab.ServerInterface), "DHCP to serve the lab interface");

            await region.StopAsync();
            using var scripts = new DhcpClientScripts();
            await using var client = lab.Client.Start("busybox", "udhcpc", "-f", "-q", "-i", lab.ClientInterface, "-s", scripts.Udhcpc, "-t", "5", "-T", "1");
            (await client.WaitForExitAsync(Wait)).ShouldBe(0, client.Output);
            var mac = await lab.Client.MacOfAsync(lab.ClientInterface);
            var leased = (await lab.Client.AddressesOfAsync(lab.ClientInterface)).Single().Split('/')[0];
            rack.Agent.Leases.Count.ShouldBeGreaterThan(0);

            await region.StartAsync();

            var recorded = await RackHarness.WaitForAsync(
                async () =>
                {
                    await using var c = await region.Database.DataSource.OpenConnectionAsync();
                    return await c.ExecuteScalarAsync<string?>(
                        "SELECT host(a.ip) FROM staticipaddress a JOIN interface_ip l ON l.staticipaddress_id = a.id JOIN interface i ON i.id = l.interface_id WHERE i.mac_address = @mac::macaddr AND a.alloc_type = 6 AND a.ip IS NOT NULL",
                        new { mac });
                },
                "the lease to reach the returned region");
            recorded.ShouldBe(leased);
        }
        finally
        {
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }
}

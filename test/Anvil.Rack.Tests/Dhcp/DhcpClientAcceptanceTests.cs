using Anvil.Domain.Leases;
using Anvil.Rack.Dhcp;
using Anvil.Testing.Network;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

/// <summary>Real DHCP clients in a test-created namespace against our server on the root side of a veth.</summary>
public sealed class DhcpClientAcceptanceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Isc_dhclient_gets_a_lease_renews_it_and_releases_it()
    {
        await using var lab = await ClientLab.CreateAsync();
        using var scripts = new ClientScripts();
        var config = new DhcpServerConfig([RunningServer.Subnet(lab.Subnet.Cidr, lab.ServerInterface, lab.ServerAddress, lab.Subnet.Host(100), lab.Subnet.Host(199))], [])
        {
            DefaultLeaseSeconds = 4,
        };
        await using var running = await RunningServer.StartAsync(config);
        var mac = await lab.Client.MacOfAsync(lab.ClientInterface);
        string[] files = ["-lf", scripts.PathOf("dhclient.leases"), "-pf", scripts.PathOf("dhclient.pid"), "-sf", scripts.Dhclient];

        var client = lab.Client.Start("dhclient", ["-4", "-d", "-v", .. files, lab.ClientInterface]);
        var (commit, renewal, release) = await Diagnosed(client, running, async () =>
        {
            var commit = await running.Leases.WaitForAsync(e => e.Action == LeaseAction.Commit && e.Mac == mac, Wait);
            var renewal = await running.Leases.WaitForAsync(e => e.Action == LeaseAction.Commit && e.Mac == mac, Wait, occurrence: 2);
            await lab.Client.RunAsync("dhclient", ["-4", "-r", .. files, lab.ClientInterface]);
            var release = await running.Leases.WaitForAsync(e => e.Action == LeaseAction.Release && e.Mac == mac, Wait);
            return (commit, renewal, release);
        });

        commit.Ip.ShouldStartWith($"{lab.Subnet.First}.{lab.Subnet.Second}.{lab.Subnet.Third}.");
        commit.LeaseTime.ShouldBe(4);
        (await lab.Client.AddressesOfAsync(lab.ClientInterface)).ShouldNotContain($"{commit.Ip}/20");
        renewal.Ip.ShouldBe(commit.Ip);
        release.Ip.ShouldBe(commit.Ip);
        running.Metrics.Value("anvil_dhcp_received_total", ("type", "release")).ShouldBe(1);
    }

    /// <summary>Runs the steps; a timeout fails with the client's output and the server's counters, so the cause is in the test report.</summary>
    internal static async Task<T> Diagnosed<T>(BackgroundProcess client, RunningServer running, Func<Task<T>> steps)
    {
        try
        {
            return await steps();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- client ---\n{client.Output}\n--- server ---\n{running.Metrics.RenderPrometheus()}", e);
        }
    }
}

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
        using var scripts = new DhcpClientScripts();
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

    [Fact]
    public async Task Busybox_udhcpc_gets_a_lease_renews_it_and_releases_it()
    {
        await using var lab = await ClientLab.CreateAsync();
        using var scripts = new DhcpClientScripts();
        var config = new DhcpServerConfig([RunningServer.Subnet(lab.Subnet.Cidr, lab.ServerInterface, lab.ServerAddress, lab.Subnet.Host(100), lab.Subnet.Host(199))], []);
        await using var running = await RunningServer.StartAsync(config);
        var mac = await lab.Client.MacOfAsync(lab.ClientInterface);

        var client = lab.Client.Start("busybox", "udhcpc", "-f", "-i", lab.ClientInterface, "-s", scripts.Udhcpc, "-t", "5", "-T", "1", "-x", "hostname:udhcpc-test");
        var (commit, renewal, release) = await Diagnosed(client, running, async () =>
        {
            var commit = await running.Leases.WaitForAsync(e => e.Action == LeaseAction.Commit && e.Mac == mac, Wait);
            await client.WaitForOutputAsync("lease of", Wait);
            await client.SignalAsync("USR1");
            var renewal = await running.Leases.WaitForAsync(e => e.Action == LeaseAction.Commit && e.Mac == mac, Wait, occurrence: 2);
            await client.SignalAsync("USR2");
            var release = await running.Leases.WaitForAsync(e => e.Action == LeaseAction.Release && e.Mac == mac, Wait);
            return (commit, renewal, release);
        });

        commit.Ip.ShouldStartWith($"{lab.Subnet.First}.{lab.Subnet.Second}.{lab.Subnet.Third}.");
        commit.Hostname.ShouldBe("udhcpc-test");
        commit.LeaseTime.ShouldBe(600);
        renewal.Ip.ShouldBe(commit.Ip);
        release.Ip.ShouldBe(commit.Ip);
    }

    [Fact]
    public async Task A_client_behind_dhcrelay_gets_an_address_from_the_relayed_subnet()
    {
        await using var lab = await RoutedLab.CreateAsync();
        using var scripts = new DhcpClientScripts();
        var local = RunningServer.Subnet(lab.UpstreamSubnet.Cidr, lab.ServerInterface, lab.ServerAddress, lab.UpstreamSubnet.Host(100), lab.UpstreamSubnet.Host(199));
        var relayed = RunningServer.Subnet(lab.DownstreamSubnet.Cidr, null, lab.ServerAddress, lab.DownstreamSubnet.Host(100), lab.DownstreamSubnet.Host(199))
            with
        { SubnetId = 2, Gateway = Anvil.Domain.Ipam.IpAddress.Parse(lab.RouterDownstreamAddress) };
        await using var running = await RunningServer.StartAsync(new DhcpServerConfig([local, relayed], []));
        var mac = await lab.Client.MacOfAsync(lab.ClientInterface);

        await using var relay = lab.Router.Start("dhcrelay", "-4", "-d", "-iu", lab.Upstream.RightName, "-id", lab.Downstream.LeftName, lab.ServerAddress);
        string[] files = ["-lf", scripts.PathOf("dhclient.leases"), "-pf", scripts.PathOf("dhclient.pid"), "-sf", scripts.Dhclient];
        var client = lab.Client.Start("dhclient", ["-4", "-d", "-v", .. files, lab.ClientInterface]);
        var commit = await Diagnosed(client, running, () => running.Leases.WaitForAsync(e => e.Action == LeaseAction.Commit && e.Mac == mac, Wait));
        await client.WaitForOutputAsync("bound to", Wait);

        commit.Ip.ShouldStartWith($"{lab.DownstreamSubnet.First}.{lab.DownstreamSubnet.Second}.{lab.DownstreamSubnet.Third}.");
        (await lab.Client.AddressesOfAsync(lab.ClientInterface)).ShouldContain($"{commit.Ip}/20");
        relay.Output.ShouldContain("Forwarded BOOTREPLY");
    }

    [Fact]
    public async Task Perfdhcp_at_500_exchanges_a_second_sees_no_drops()
    {
        await using var lab = await ClientLab.CreateAsync(clientAddressOffset: 2);
        var config = new DhcpServerConfig([RunningServer.Subnet(lab.Subnet.Cidr, lab.ServerInterface, lab.ServerAddress, lab.Subnet.Host(16), lab.Subnet.Host(4000))], []);
        await using var running = await RunningServer.StartAsync(config);

        // -W: wait for answers still in flight when the 5 s are up (otherwise perfdhcp counts them as
        // lost); -d 5: on a shared 2-core machine a scheduling stall is not a lost packet.
        var result = await lab.Client.TryRunAsync(
            TimeSpan.FromSeconds(60), "perfdhcp", "-4", "-l", lab.ClientInterface, "-r", "500", "-p", "5", "-R", "3000", "-W", "2000000", "-d", "5");

        var report = result.Output + result.Error + running.Metrics.RenderPrometheus();
        PerfdhcpReport.SentAndReceived(result.Output, "DISCOVER-OFFER").ShouldSatisfyAllConditions(
            r => r.Sent.ShouldBeGreaterThan(2000, report),
            r => r.Received.ShouldBe(r.Sent, report));
        PerfdhcpReport.SentAndReceived(result.Output, "REQUEST-ACK").ShouldSatisfyAllConditions(
            r => r.Sent.ShouldBeGreaterThan(2000, report),
            r => r.Received.ShouldBe(r.Sent, report));
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

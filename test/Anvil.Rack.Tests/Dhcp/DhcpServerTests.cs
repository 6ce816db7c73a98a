using Anvil.Domain.Leases;
using Anvil.Rack.Dhcp;
using Anvil.Rack.Dhcp.Wire;
using Anvil.Testing.Network;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

public sealed class DhcpServerTests
{
    [Fact]
    public async Task Server_reports_its_state_and_opens_sockets_for_the_configs_interfaces()
    {
        await using var lab = await ClientLab.CreateAsync();
        await using var running = await RunningServer.StartAsync(DhcpServerConfig.Empty);
        var server = running.Server;

        server.IsRunning.ShouldBeTrue();
        server.Interfaces.ShouldBeEmpty();
        server.Apply(new DhcpServerConfig([RunningServer.Subnet(lab.Subnet.Cidr, lab.ServerInterface, lab.ServerAddress, lab.Subnet.Host(100), lab.Subnet.Host(110))], []));
        server.Interfaces.ShouldBe([lab.ServerInterface]);
        server.Apply(DhcpServerConfig.Empty);
        server.Interfaces.ShouldBeEmpty();
        await server.StopAsync(CancellationToken.None);
        server.State.ShouldBe(DhcpServerState.Stopped);
    }

    [Fact]
    public async Task A_restarted_server_knows_the_leases_it_gave_before()
    {
        await using var lab = await ClientLab.CreateAsync();
        using var scripts = new DhcpClientScripts();
        var config = new DhcpServerConfig([RunningServer.Subnet(lab.Subnet.Cidr, lab.ServerInterface, lab.ServerAddress, lab.Subnet.Host(100), lab.Subnet.Host(110))], []);
        var mac = await lab.Client.MacOfAsync(lab.ClientInterface);
        string directory;
        LeaseEvent commit;
        await using (var first = await RunningServer.StartAsync(config))
        {
            first.KeepData = true;
            directory = first.DataDirectory;
            await using var client = lab.Client.Start("busybox", "udhcpc", "-f", "-q", "-i", lab.ClientInterface, "-s", scripts.Udhcpc, "-t", "5", "-T", "1");
            commit = await first.Leases.WaitForAsync(e => e.Action == LeaseAction.Commit && e.Mac == mac, TimeSpan.FromSeconds(20));
        }

        await using var second = await RunningServer.StartAsync(config, directory);

        MacAddressText.TryParse(mac, out var macNumber).ShouldBeTrue();
        var lease = second.Server.Engine!.ActiveLease(macNumber).ShouldNotBeNull();
        ReplyView.Text(lease.Address).ShouldBe(commit.Ip);
    }
}

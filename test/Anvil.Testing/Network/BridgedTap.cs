namespace Anvil.Testing.Network;

/// <summary>
/// A Linux bridge in the root namespace with the first address of its own /20 from
/// <see cref="TestNames"/>, and one tap port for a VM (qemu <c>-netdev tap,ifname=…</c>). IPv6 is
/// off on both, so the host itself sends nothing onto them. Disposing deletes both.
/// </summary>
public sealed class BridgedTap : IAsyncDisposable
{
    private BridgedTap(string bridgeName, string tapName, TestSubnet subnet)
    {
        BridgeName = bridgeName;
        TapName = tapName;
        Subnet = subnet;
    }

    public string BridgeName { get; }

    public string TapName { get; }

    public TestSubnet Subnet { get; }

    /// <summary>The host's address on the bridge: the subnet's first host.</summary>
    public string BridgeAddress => Subnet.Host(1);

    public static async Task<BridgedTap> CreateAsync()
    {
        var suffix = TestNames.Suffix();
        var lab = new BridgedTap("avbr" + suffix, "avtp" + suffix, TestNames.NextSubnet());
        try
        {
            // No STP and no forward delay: the port forwards as soon as qemu opens the tap.
            await HostCommand.RunAsync("ip", "link", "add", lab.BridgeName, "type", "bridge", "stp_state", "0", "forward_delay", "0");
            await HostCommand.RunAsync("sysctl", "-qw", $"net.ipv6.conf.{lab.BridgeName}.disable_ipv6=1");
            await HostCommand.RunAsync("ip", "addr", "add", lab.Subnet.HostWithPrefix(1), "dev", lab.BridgeName);
            await HostCommand.RunAsync("ip", "link", "set", lab.BridgeName, "up");
            await HostCommand.RunAsync("ip", "tuntap", "add", "dev", lab.TapName, "mode", "tap");
            await HostCommand.RunAsync("sysctl", "-qw", $"net.ipv6.conf.{lab.TapName}.disable_ipv6=1");
            await HostCommand.RunAsync("ip", "link", "set", lab.TapName, "master", lab.BridgeName);
            await HostCommand.RunAsync("ip", "link", "set", lab.TapName, "up");
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    public async ValueTask DisposeAsync()
    {
        await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "ip", "link", "del", TapName);
        await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "ip", "link", "del", BridgeName);
    }
}

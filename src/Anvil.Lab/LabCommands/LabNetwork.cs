using System.Net;
using Anvil.Lab.Vms;

namespace Anvil.Lab.LabCommands;

/// <summary>
/// The lab's network: a namespace it owns with the provisioning bridge in it, a veth from the host
/// onto the bridge (the host reaches the API and the BMCs; IPv6 off, so no router advertisement
/// from the lab reaches the host's routes), and one tap per VM. Deleting the namespace deletes all
/// of it; the host's veth end goes with its peer.
/// </summary>
internal static class LabNetwork
{
    /// <summary>
    /// A /24 in 10.250.0.0/16 that no host route overlaps, starting from one derived from the
    /// state directory so that labs in different directories differ.
    /// </summary>
    public static async Task<string> FreeSubnetPrefixAsync(string stateDirectory)
    {
        var routes = (await LabCommand.RunAsync("ip", "-4", "-o", "route", "show", "table", "all")).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.Contains('.', StringComparison.Ordinal)))
            .Select(word => word is not null && IPNetwork.TryParse(word.Contains('/', StringComparison.Ordinal) ? word : word + "/32", out var n) ? (IPNetwork?)n : null)
            .OfType<IPNetwork>()
            .ToList();
        var start = Convert.ToInt32(LabState.Id(Path.GetFullPath(stateDirectory))[..2], 16);
        for (var i = 0; i < 250; i++)
        {
            var third = (start + i) % 250 + 1;
            var candidate = IPNetwork.Parse($"10.250.{third}.0/24");
            if (!routes.Any(r => r.Contains(candidate.BaseAddress) || candidate.Contains(r.BaseAddress)))
                return $"10.250.{third}";
        }

        throw new InvalidOperationException("No free /24 in 10.250.0.0/16 on this host.");
    }

    public static async Task CreateAsync(LabState lab)
    {
        var ns = lab.NetNamespace;
        await LabCommand.RunAsync("ip", "netns", "add", ns);
        await LabCommand.RunAsync("ip", "-n", ns, "link", "set", "lo", "up");
        // No STP and no forward delay: a port forwards as soon as qemu opens its tap (PXE does not wait).
        await LabCommand.RunAsync("ip", "-n", ns, "link", "add", lab.Bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        await Sysctl(ns, $"net.ipv6.conf.{lab.Bridge}.disable_ipv6=1");
        await LabCommand.RunAsync("ip", "-n", ns, "addr", "add", $"{lab.ServerAddress}/24", "dev", lab.Bridge);
        await LabCommand.RunAsync("ip", "-n", ns, "link", "set", lab.Bridge, "up");
        await LabCommand.RunAsync("ip", "link", "add", lab.HostVeth, "type", "veth", "peer", "name", "uplink", "netns", ns);
        await Sysctl(ns, "net.ipv6.conf.uplink.disable_ipv6=1");
        await LabCommand.RunAsync("ip", "-n", ns, "link", "set", "uplink", "master", lab.Bridge);
        await LabCommand.RunAsync("ip", "-n", ns, "link", "set", "uplink", "up");
        await Sysctl(null, $"net.ipv6.conf.{lab.HostVeth}.disable_ipv6=1");
        await LabCommand.RunAsync("ip", "addr", "add", $"{lab.HostAddress}/24", "dev", lab.HostVeth);
        await LabCommand.RunAsync("ip", "link", "set", lab.HostVeth, "up");
    }

    /// <summary>A tap on the bridge for one VM.</summary>
    public static async Task AddTapAsync(LabState lab, string tap)
    {
        var ns = lab.NetNamespace;
        await LabCommand.RunAsync("ip", "-n", ns, "tuntap", "add", "dev", tap, "mode", "tap");
        await Sysctl(ns, $"net.ipv6.conf.{tap}.disable_ipv6=1");
        await LabCommand.RunAsync("ip", "-n", ns, "link", "set", tap, "master", lab.Bridge);
        await LabCommand.RunAsync("ip", "-n", ns, "link", "set", tap, "up");
    }

    /// <summary>A BMC's own address on the bridge (a /32: the bridge's /24 route already covers it).</summary>
    public static Task AddAddressAsync(LabState lab, string address) =>
        LabCommand.RunAsync("ip", "-n", lab.NetNamespace, "addr", "add", $"{address}/32", "dev", lab.Bridge);

    public static async Task<bool> NamespaceExistsAsync(string ns) =>
        (await LabCommand.RunAsync("ip", "netns", "list")).Output.Split('\n').Any(line => line.Split(' ').FirstOrDefault() == ns);

    /// <summary>Every process in the namespace (anvild, its PostgreSQL and named, ipmi_sim, qemu).</summary>
    public static async Task<IReadOnlyList<int>> ProcessesAsync(string ns)
    {
        var result = await LabCommand.TryRunAsync(LabCommand.DefaultTimeout, "ip", "netns", "pids", ns);
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>Deletes the namespace (its bridge, taps and veth end) and the host's veth end if it is left.</summary>
    public static async Task DeleteAsync(LabState lab)
    {
        if (await NamespaceExistsAsync(lab.NetNamespace))
            await LabCommand.RunAsync("ip", "netns", "del", lab.NetNamespace);
        var hostLink = await LabCommand.TryRunAsync(LabCommand.DefaultTimeout, "ip", "link", "show", lab.HostVeth);
        if (hostLink.ExitCode == 0)
            await LabCommand.RunAsync("ip", "link", "del", lab.HostVeth);
    }

    private static async Task Sysctl(string? ns, string setting)
    {
        var (file, arguments) = LabCommand.InNamespace(ns, "sysctl", "-qw", setting);
        await LabCommand.RunAsync(file, arguments);
    }
}

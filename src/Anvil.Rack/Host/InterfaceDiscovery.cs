using System.Net.NetworkInformation;
using System.Net.Sockets;
using Anvil.Rpc.Contracts;

namespace Anvil.Rack.Host;

/// <summary>
/// The rack host's interfaces as the region wants them at registration: kind (physical, bond,
/// bridge, vlan) and parents from <c>/sys/class/net</c> and <c>/proc/net/vlan</c>, addresses from
/// the kernel. Loopback and link-local addresses are left out.
/// </summary>
internal static class InterfaceDiscovery
{
    public static IReadOnlyList<RackInterfaceReport> Discover(IReadOnlyList<string> only)
    {
        var selected = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Where(n => only.Count == 0 || only.Contains(n.Name, StringComparer.Ordinal))
            .ToList();
        var names = selected.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        return [.. selected.Select(n => Describe(n, names))];
    }

    private static RackInterfaceReport Describe(NetworkInterface nic, HashSet<string> names)
    {
        var sys = Path.Combine("/sys/class/net", nic.Name);
        var (type, vid) = Directory.Exists(Path.Combine(sys, "bridge")) ? ("bridge", (int?)null)
            : Directory.Exists(Path.Combine(sys, "bonding")) ? ("bond", null)
            : VlanId(nic.Name) is { } id ? ("vlan", id)
            : ("physical", null);
        var parents = Directory.Exists(sys)
            ? Directory.EnumerateFileSystemEntries(sys, "lower_*").Select(p => Path.GetFileName(p)["lower_".Length..]).Where(names.Contains).Order(StringComparer.Ordinal).ToList()
            : [];
        var links = nic.GetIPProperties().UnicastAddresses
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork || (a.Address.AddressFamily == AddressFamily.InterNetworkV6 && !a.Address.IsIPv6LinkLocal))
            .Select(a => $"{a.Address}/{a.PrefixLength}")
            .ToList();
        var mac = nic.GetPhysicalAddress().GetAddressBytes();
        return new RackInterfaceReport(
            nic.Name,
            type,
            mac.Length == 6 ? string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))) : null,
            parents,
            vid,
            links,
            nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown);
    }

    /// <summary>The VLAN id from <c>/proc/net/vlan/&lt;name&gt;</c> ("… VID: 100 …"), when the interface is a VLAN.</summary>
    private static int? VlanId(string name)
    {
        var path = Path.Combine("/proc/net/vlan", name);
        if (!File.Exists(path))
            return null;
        var text = File.ReadAllText(path);
        var at = text.IndexOf("VID:", StringComparison.Ordinal);
        if (at < 0)
            return null;
        var digits = new string(text[(at + 4)..].SkipWhile(char.IsWhiteSpace).TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var vid) ? vid : null;
    }
}

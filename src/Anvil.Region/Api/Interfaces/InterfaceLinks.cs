using Anvil.Data.Machines;
using Anvil.Domain.Ipam;

namespace Anvil.Region.Api.Interfaces;

/// <summary>
/// How stored addresses read as MAAS's links: AUTO is <c>auto</c>, a STICKY row with an address
/// (or a user reservation) is <c>static</c>, a STICKY row without one is <c>link_up</c>, DHCP is
/// <c>dhcp</c>. DISCOVERED rows are observed leases, not links.
/// </summary>
internal static class InterfaceLinks
{
    public const string Auto = "auto";
    public const string Dhcp = "dhcp";
    public const string Static = "static";
    public const string LinkUp = "link_up";

    public static string? ModeOf(InterfaceAddressView a) => (IpAddressType)a.AllocType switch
    {
        IpAddressType.AUTO => Auto,
        IpAddressType.STICKY => a.Ip is null ? LinkUp : Static,
        IpAddressType.USER_RESERVED => Static,
        IpAddressType.DHCP => Dhcp,
        _ => null,
    };

    public static IEnumerable<InterfaceAddressView> Links(InterfaceView nic) => nic.Addresses.Where(a => ModeOf(a) is not null);

    public static IEnumerable<InterfaceAddressView> Discovered(InterfaceView nic) =>
        nic.Addresses.Where(a => a.AllocType == (int)IpAddressType.DISCOVERED && a.Ip is not null);

    /// <summary>
    /// The machine's <c>ip_addresses</c>: its configured addresses, or when it has none, the ones
    /// observed from DHCP leases (maas-api.md §4).
    /// </summary>
    public static IReadOnlyList<string> MachineAddresses(MachineView m)
    {
        var configured = new List<string>();
        var discovered = new List<string>();
        foreach (var nic in m.Interfaces)
        {
            foreach (var a in nic.Addresses)
            {
                if (a.Ip is null || a.Temporary)
                    continue;
                (a.AllocType == (int)IpAddressType.DISCOVERED ? discovered : configured).Add(a.Ip);
            }
        }

        return configured.Count > 0 ? configured : discovered;
    }
}

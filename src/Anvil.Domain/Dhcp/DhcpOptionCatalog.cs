using System.Globalization;

namespace Anvil.Domain.Dhcp;

/// <summary>A DHCPv4 option a snippet may set: its code, ISC dhcpd name, value type and (for integers) range.</summary>
public sealed record DhcpOptionDefinition(int Code, string Name, DhcpOptionType Type, long Min = 0, long Max = 0);

/// <summary>
/// The DHCPv4 options snippets may set. A deliberate, small set: options the rack can encode
/// without interpreting free text, and that do not fight the options Anvil itself sends
/// (subnet mask, lease-time classes, boot-method selection).
/// </summary>
public static class DhcpOptionCatalog
{
    public static IReadOnlyList<DhcpOptionDefinition> All { get; } =
    [
        new(2, "time-offset", DhcpOptionType.Int32, int.MinValue, int.MaxValue),
        new(3, "routers", DhcpOptionType.IpAddresses),
        new(4, "time-servers", DhcpOptionType.IpAddresses),
        new(6, "domain-name-servers", DhcpOptionType.IpAddresses),
        new(7, "log-servers", DhcpOptionType.IpAddresses),
        new(12, "host-name", DhcpOptionType.Text),
        new(15, "domain-name", DhcpOptionType.Text),
        new(19, "ip-forwarding", DhcpOptionType.Boolean),
        new(26, "interface-mtu", DhcpOptionType.UInt16, 68, 65535),
        new(42, "ntp-servers", DhcpOptionType.IpAddresses),
        new(43, "vendor-encapsulated-options", DhcpOptionType.Hex),
        new(44, "netbios-name-servers", DhcpOptionType.IpAddresses),
        new(46, "netbios-node-type", DhcpOptionType.UInt8, 0, 255),
        new(51, "dhcp-lease-time", DhcpOptionType.UInt32, 0, uint.MaxValue),
        new(60, "vendor-class-identifier", DhcpOptionType.Text),
        new(66, "tftp-server-name", DhcpOptionType.Text),
        new(67, "bootfile-name", DhcpOptionType.Text),
        new(69, "smtp-server", DhcpOptionType.IpAddresses),
        new(119, "domain-search", DhcpOptionType.DomainList),
        // ISC dhcpd has no built-in name for 252 (WPAD); this is Anvil's.
        new(252, "wpad-url", DhcpOptionType.Text),
    ];

    private static readonly Dictionary<string, DhcpOptionDefinition> ByName =
        All.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<int, DhcpOptionDefinition> ByCode = All.ToDictionary(o => o.Code);

    /// <summary>By ISC name (any case) or decimal code.</summary>
    public static DhcpOptionDefinition? Find(string nameOrCode) =>
        ByName.TryGetValue(nameOrCode, out var byName) ? byName
        : int.TryParse(nameOrCode, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && ByCode.TryGetValue(code, out var byCode) ? byCode
        : null;

    public static DhcpOptionDefinition? Find(int code) => ByCode.GetValueOrDefault(code);
}

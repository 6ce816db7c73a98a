namespace Anvil.Domain.Dhcp;

/// <summary>How a DHCPv4 option's value is written, checked and encoded.</summary>
public enum DhcpOptionType
{
    /// <summary>A comma-separated list of IPv4 addresses.</summary>
    IpAddresses,

    /// <summary>A quoted string of printable ASCII.</summary>
    Text,

    /// <summary>A comma-separated list of quoted domain names (RFC 3397).</summary>
    DomainList,

    UInt8,

    UInt16,

    UInt32,

    Int32,

    /// <summary>true/false (on/off accepted, as ISC dhcpd does).</summary>
    Boolean,

    /// <summary>Opaque bytes as colon-separated hex octets, e.g. <c>01:04:c0:a8:00:01</c>.</summary>
    Hex,
}

/// <summary>The names of <see cref="DhcpOptionType"/> in stored JSON (<c>type</c>).</summary>
public static class DhcpOptionTypes
{
    public static string WireName(DhcpOptionType type) => type switch
    {
        DhcpOptionType.IpAddresses => "ip-addresses",
        DhcpOptionType.Text => "text",
        DhcpOptionType.DomainList => "domain-list",
        DhcpOptionType.UInt8 => "uint8",
        DhcpOptionType.UInt16 => "uint16",
        DhcpOptionType.UInt32 => "uint32",
        DhcpOptionType.Int32 => "int32",
        DhcpOptionType.Boolean => "boolean",
        DhcpOptionType.Hex => "hex",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}

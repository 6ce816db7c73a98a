namespace Anvil.Domain.Ipam;

/// <summary>MAAS's IPADDRESS_TYPE; the values are stored in <c>staticipaddress.alloc_type</c>.</summary>
public enum IpAddressType
{
    AUTO = 0,
    STICKY = 1,
    USER_RESERVED = 4,
    DHCP = 5,
    DISCOVERED = 6,
}

public static class IpAddressTypes
{
    /// <summary>The display name MAAS renders as <c>alloc_type_name</c>.</summary>
    public static string NameOf(IpAddressType type) => type switch
    {
        IpAddressType.AUTO => "Automatic",
        IpAddressType.STICKY => "Static",
        IpAddressType.USER_RESERVED => "User reserved",
        IpAddressType.DHCP => "DHCP",
        IpAddressType.DISCOVERED => "Observed",
        _ => "Unknown",
    };
}

using System.Collections.Frozen;

namespace Anvil.Domain.Network;

/// <summary>
/// Boot architectures a subnet may refuse to answer (<c>disabled_boot_architectures</c>), by
/// MAAS boot-method name or by DHCP client-architecture octet (<c>00:07</c>, or <c>0x07</c>).
/// </summary>
public static class BootArchitectures
{
    private static readonly FrozenDictionary<string, string> ByOctet = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["00:00"] = "pxe",
        ["00:07"] = "uefi_amd64_tftp",
        ["00:10"] = "uefi_amd64_http",
        ["00:0b"] = "uefi_arm64_tftp",
        ["00:13"] = "uefi_arm64_http",
        ["00:09"] = "uefi_ebc_tftp",
        ["00:0c"] = "open-firmware_ppc64el",
        ["00:0e"] = "powernv",
        ["00:1f"] = "s390x",
        ["00:20"] = "s390x_partition",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> Names = ByOctet.Values.Append("ipxe").ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The boot-method name for a name or octet, or null when unknown.</summary>
    public static string? Resolve(string value)
    {
        if (Names.Contains(value))
            return value;
        var octet = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? "00:" + value[2..].PadLeft(2, '0') : value;
        return ByOctet.GetValueOrDefault(octet);
    }
}

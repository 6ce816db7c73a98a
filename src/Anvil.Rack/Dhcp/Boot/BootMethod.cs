namespace Anvil.Rack.Dhcp.Boot;

/// <summary>
/// One of MAAS's boot methods as the DHCP server answers it (maas-api.md §8.1): the boot file
/// (a path on the rack's TFTP server, or a URL template), and what else the reply must carry.
/// <c>{rack}</c> in <see cref="File"/> and <see cref="PathPrefix"/> stands for the subnet's server address.
/// </summary>
internal sealed record BootMethod(string Name, string File)
{
    /// <summary>RFC 5071 option 210, always sent (MAAS forces it into the parameter request list).</summary>
    public string? PathPrefix { get; init; }

    /// <summary>UEFI HTTP boot: the reply must say <c>HTTPClient</c> in option 60 and carry option 67.</summary>
    public bool HttpBoot { get; init; }

    /// <summary>iPXE: send option 175 with sub-option 176 = 1 so it does not wait for ProxyDHCP offers.</summary>
    public bool Ipxe { get; init; }

    public string FileFor(string rack) => File.Replace("{rack}", rack, StringComparison.Ordinal);

    public string? PathPrefixFor(string rack) => PathPrefix?.Replace("{rack}", rack, StringComparison.Ordinal);
}

/// <summary>The boot methods by name and RFC 4578 architecture number.</summary>
internal static class BootMethods
{
    public static BootMethod Pxe { get; } = new("pxe", "lpxelinux.0") { PathPrefix = "http://{rack}:5248/" };

    public static BootMethod Ipxe { get; } = new("ipxe", "http://{rack}:5248/ipxe.cfg") { Ipxe = true };

    /// <summary>Architecture number → method; the numbers are RFC 4578 / IANA processor architecture types.</summary>
    public static IReadOnlyDictionary<ushort, BootMethod> ByArchitecture { get; } = new Dictionary<ushort, BootMethod>
    {
        [0x00] = Pxe,
        [0x07] = new("uefi_amd64_tftp", "bootx64.efi"),
        [0x09] = new("uefi_ebc_tftp", "bootx64.efi"),
        [0x0B] = new("uefi_arm64_tftp", "bootaa64.efi"),
        [0x0C] = new("open-firmware_ppc64el", "bootppc64.bin"),
        [0x0E] = new("powernv", "ppc64el/pxelinux.0") { PathPrefix = "ppc64el/" },
        [0x10] = new("uefi_amd64_http", "http://{rack}:5248/images/bootx64.efi") { HttpBoot = true },
        [0x13] = new("uefi_arm64_http", "http://{rack}:5248/images/bootaa64.efi") { HttpBoot = true },
        [0x1F] = new("s390x", "s390x/boots390x.bin"),
        [0x20] = new("s390x_partition", "s390x_partition/maas"),
    };

    /// <summary>Every method the selector can choose, each once.</summary>
    public static IReadOnlyList<BootMethod> All { get; } = [Ipxe, .. ByArchitecture.Values.Distinct()];
}

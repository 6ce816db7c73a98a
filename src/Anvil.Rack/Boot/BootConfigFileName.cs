using System.Diagnostics.CodeAnalysis;
using Anvil.Domain.Boot;

namespace Anvil.Rack.Boot;

/// <summary>
/// A boot file name that the rack generates instead of reading from disk (maas-api.md §8.2):
/// <c>pxelinux.cfg/01-&lt;mac&gt;</c>, <c>pxelinux.cfg/&lt;uuid&gt;</c>, <c>pxelinux.cfg/default[.-arch[-subarch]]</c>,
/// <c>grub/grub.cfg</c>, <c>grub/grub.cfg-&lt;mac&gt;</c>, <c>grub/grub.cfg-default[-arch[-subarch]]</c>,
/// <c>ipxe.cfg</c>, <c>ipxe.cfg-&lt;mac&gt;</c>, <c>ipxe.cfg-default[-arch[-subarch]]</c>.
/// A first-stage name (<c>grub/grub.cfg</c>, <c>ipxe.cfg</c>) only chains to the per-machine names, so
/// answering it needs no region.
/// </summary>
internal sealed record BootConfigFileName(
    BootConfigFormat Format,
    bool FirstStage = false,
    string? Mac = null,
    string? HardwareUuid = null,
    string? Arch = null,
    string? Subarch = null)
{
    private const string PxelinuxPrefix = "pxelinux.cfg/";
    private const string GrubFirstStage = "grub/grub.cfg";
    private const string IpxeFirstStage = "ipxe.cfg";

    /// <summary>Recognises <paramref name="path"/> (leading slashes ignored); false for every other file.</summary>
    public static bool TryParse(string path, [NotNullWhen(true)] out BootConfigFileName? name)
    {
        name = Parse(path.TrimStart('/'));
        return name is not null;
    }

    /// <summary>The question to ask the region on behalf of <paramref name="client"/>.</summary>
    public BootRequest ToRequest(BootClient client) => new(
        client.LocalAddress.ToString(),
        client.RemoteAddress.ToString(),
        Mac,
        Arch,
        Subarch,
        HardwareUuid,
        BiosBootMethod: Format switch
        {
            BootConfigFormat.Pxelinux => "pxe",
            BootConfigFormat.Grub => "uefi",
            _ => "ipxe",
        });

    private static BootConfigFileName? Parse(string path)
    {
        if (path.StartsWith(PxelinuxPrefix, StringComparison.Ordinal))
            return ParsePxelinux(path[PxelinuxPrefix.Length..]);
        if (path == GrubFirstStage)
            return new(BootConfigFormat.Grub, FirstStage: true);
        if (path.StartsWith(GrubFirstStage + "-", StringComparison.Ordinal))
            return ParseSuffix(BootConfigFormat.Grub, path[(GrubFirstStage.Length + 1)..]);
        if (path == IpxeFirstStage)
            return new(BootConfigFormat.Ipxe, FirstStage: true);
        if (path.StartsWith(IpxeFirstStage + "-", StringComparison.Ordinal))
            return ParseSuffix(BootConfigFormat.Ipxe, path[(IpxeFirstStage.Length + 1)..]);
        return null;
    }

    private static BootConfigFileName? ParsePxelinux(string rest)
    {
        // PXELINUX puts the ARP hardware type (01, Ethernet) in front of the dash-separated MAC.
        if (rest.StartsWith("01-", StringComparison.Ordinal) && MacText.TryNormalise(rest.AsSpan(3), '-', out var mac))
            return new(BootConfigFormat.Pxelinux, Mac: mac);
        if (IsUuid(rest))
            return new(BootConfigFormat.Pxelinux, HardwareUuid: rest.ToLowerInvariant());
        if (rest == "default")
            return new(BootConfigFormat.Pxelinux);
        if (rest.StartsWith("default", StringComparison.Ordinal) && rest.Length > "default".Length
            && rest["default".Length] is '.' or '-')
            return ParseArch(BootConfigFormat.Pxelinux, rest[("default".Length + 1)..]);
        return null;
    }

    private static BootConfigFileName? ParseSuffix(BootConfigFormat format, string rest)
    {
        if (rest == "default")
            return new(format);
        if (rest.StartsWith("default-", StringComparison.Ordinal))
            return ParseArch(format, rest["default-".Length..]);
        if (MacText.TryNormalise(rest, ':', out var mac) || MacText.TryNormalise(rest, '-', out mac))
            return new(format, Mac: mac);
        return null;
    }

    private static BootConfigFileName? ParseArch(BootConfigFormat format, string text)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var arch = dash < 0 ? text : text[..dash];
        var subarch = dash < 0 ? null : text[(dash + 1)..];
        if (!IsWord(arch) || (subarch is not null && !IsWord(subarch)))
            return null;
        return new(format, Arch: ArchFromBootloader(arch), Subarch: subarch);
    }

    // GRUB names its CPU (${grub_cpu}) the way the kernel does; the region speaks Debian architectures.
    private static string ArchFromBootloader(string arch) => arch switch
    {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "powerpc" => "ppc64el",
        _ => arch,
    };

    private static bool IsWord(string text) => text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool IsUuid(string text)
    {
        if (text.Length != 36)
            return false;
        for (var i = 0; i < text.Length; i++)
        {
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? text[i] != '-' : !char.IsAsciiHexDigit(text[i]))
                return false;
        }

        return true;
    }
}

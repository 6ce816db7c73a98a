namespace Anvil.Domain.Images;

/// <summary>MAAS's boot resource file types (maas-api.md §8.4) and the upload form's short names for them.</summary>
public static class BootFileTypes
{
    public const string RootTgz = "root-tgz";
    public const string RootTbz = "root-tbz";
    public const string RootTxz = "root-txz";
    public const string RootDd = "root-dd";
    public const string RootDdTar = "root-dd.tar";
    public const string RootDdRaw = "root-dd.raw";
    public const string RootDdBz2 = "root-dd.bz2";
    public const string RootDdGz = "root-dd.gz";
    public const string RootDdXz = "root-dd.xz";
    public const string RootDdTarBz2 = "root-dd.tar.bz2";
    public const string RootDdTarXz = "root-dd.tar.xz";
    public const string SelfExtracting = "self-extracting";
    public const string RootImageGz = "root-image.gz";
    public const string Squashfs = "squashfs";
    public const string BootKernel = "boot-kernel";
    public const string BootInitrd = "boot-initrd";
    public const string BootDtb = "boot-dtb";
    public const string ArchiveTarXz = "archive.tar.xz";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        RootTgz, RootTbz, RootTxz, RootDd, RootDdTar, RootDdRaw, RootDdBz2, RootDdGz, RootDdXz, RootDdTarBz2, RootDdTarXz,
        SelfExtracting, RootImageGz, Squashfs, BootKernel, BootInitrd, BootDtb, ArchiveTarXz,
    };

    /// <summary>
    /// The <c>filetype</c> values <c>boot-resources create</c> takes and the file type each stores
    /// (MAAS's upload form), in the form's order; <c>tgz</c> is the default.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> UploadTypes { get; } =
    [
        new("tgz", RootTgz),
        new("tbz", RootTbz),
        new("txz", RootTxz),
        new("ddtgz", RootDd),
        new("ddtbz", RootDdTarBz2),
        new("ddtxz", RootDdTarXz),
        new("ddtar", RootDdTar),
        new("ddbz2", RootDdBz2),
        new("ddgz", RootDdGz),
        new("ddxz", RootDdXz),
        new("ddraw", RootDdRaw),
    ];

    /// <summary>The stored file type for an upload's <c>filetype</c>, or null when it is not one.</summary>
    public static string? ForUpload(string filetype) =>
        UploadTypes.FirstOrDefault(t => t.Key == filetype).Value;

    /// <summary>Whether a file of this type is a root image a deployment writes to disk (tarball or disk image).</summary>
    public static bool IsRootImage(string filetype) =>
        filetype is RootTgz or RootTbz or RootTxz || filetype.StartsWith(RootDd, StringComparison.Ordinal);

    /// <summary>Whether the image is written whole to the boot disk rather than unpacked onto a file system.</summary>
    public static bool IsDiskImage(string filetype) => filetype.StartsWith(RootDd, StringComparison.Ordinal);
}

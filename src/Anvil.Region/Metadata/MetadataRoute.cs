namespace Anvil.Region.Metadata;

internal enum MetadataEndpoint
{
    Index,
    VersionIndex,
    MetaData,
    UserData,
    MaasScripts,
    CommissioningScripts,
    ById,
    EnlistPreseed,
    ByMac,
    EnlistIndex,
    EnlistMetaData,
    EnlistUserData,
    Status,
    InstallConfig,
}

/// <summary>
/// A path below <c>/MAAS/metadata/</c> (extra leading slashes tolerated, as MAAS's patterns do).
/// <see cref="Item"/> is the meta-data item (empty for the listing); <see cref="SystemId"/> the
/// node of <c>by-id/…</c> and <c>status/…</c>. <see cref="Curtin"/> marks the <c>curtin/…</c> variants
/// the installing environment uses: the same endpoints, except that asking for user-data there does
/// not mean the installed OS booted (maas-api.md §7.1).
/// </summary>
internal sealed record MetadataRoute(MetadataEndpoint Endpoint, string? Version = null, string Item = "", string? SystemId = null, bool Curtin = false)
{
    public static readonly string[] Versions = ["2012-03-01", "latest"];

    public static MetadataRoute? Parse(string rest)
    {
        var parts = rest.TrimStart('/').Split('/');
        if (parts is [""])
            return new(MetadataEndpoint.Index);
        if (parts[0] == "status" && parts.Length >= 2 && parts[1].Length > 0 && IsEnd(parts, 2))
            return new(MetadataEndpoint.Status, SystemId: parts[1]);
        if (parts[0] == "enlist" && parts.Length >= 2)
            return ParseEnlist(parts[1], parts[2..]);
        if (parts[0] == "curtin" && parts.Length >= 2)
            return ParseVersioned(parts[1], parts[2..]) is { Endpoint: not (MetadataEndpoint.ById or MetadataEndpoint.ByMac or MetadataEndpoint.EnlistPreseed) } curtin
                ? curtin with { Curtin = true }
                : null;
        return ParseVersioned(parts[0], parts[1..]);
    }

    public bool HasKnownVersion => Version is null || Versions.Contains(Version, StringComparer.Ordinal);

    private static MetadataRoute? ParseVersioned(string version, string[] rest) => rest switch
    {
        [] or [""] => new(MetadataEndpoint.VersionIndex, version),
        ["meta-data", .. var item] => new(MetadataEndpoint.MetaData, version, string.Join('/', item)),
        ["user-data"] => new(MetadataEndpoint.UserData, version),
        ["install-config"] => new(MetadataEndpoint.InstallConfig, version),
        ["maas-scripts"] or ["maas-scripts", ""] => new(MetadataEndpoint.MaasScripts, version),
        ["maas-commissioning-scripts"] or ["maas-commissioning-scripts", ""] => new(MetadataEndpoint.CommissioningScripts, version),
        ["by-id", var systemId, .. var tail] when systemId.Length > 0 && tail is [] or [""] => new(MetadataEndpoint.ById, version, SystemId: systemId),
        ["enlist-preseed"] or ["enlist-preseed", ""] => new(MetadataEndpoint.EnlistPreseed, version),
        ["by-mac", ..] => new(MetadataEndpoint.ByMac, version),
        _ => null,
    };

    private static MetadataRoute? ParseEnlist(string version, string[] rest) => rest switch
    {
        [] or [""] => new(MetadataEndpoint.EnlistIndex, version),
        ["meta-data", .. var item] => new(MetadataEndpoint.EnlistMetaData, version, string.Join('/', item)),
        ["user-data"] => new(MetadataEndpoint.EnlistUserData, version),
        _ => null,
    };

    private static bool IsEnd(string[] parts, int from) => parts.Length == from || (parts.Length == from + 1 && parts[from].Length == 0);
}

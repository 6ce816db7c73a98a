namespace Anvil.Region.Api.Framework;

/// <summary>The URL prefixes of MAAS's API.</summary>
public static class ApiPaths
{
    /// <summary>Everything the API framework answers lives under this prefix.</summary>
    public const string Root = "/MAAS/api/";

    /// <summary>The prefix every handler's <see cref="ApiHandler.PathTemplate"/> is relative to.</summary>
    public const string V2 = "/MAAS/api/2.0/";

    internal const string V1 = "/MAAS/api/1.0";

    internal const string VersionText = "/MAAS/api/version/";

    internal const string Describe = "describe/";

    /// <summary>The response header carrying the hash of the describe/ document.</summary>
    public const string HashHeader = "X-MAAS-API-Hash";
}

namespace Anvil.Region.Api.Framework;

/// <summary>The built-in <c>version/</c> resource: anonymous only, described as MAAS describes it.</summary>
internal static class VersionApi
{
    public static void Declare(ApiCatalogBuilder api) =>
        api.AnonHandler("VersionHandler", "version/", "Information about this MAAS server: its version and what it can do.")
            .Read(
                _ => Task.FromResult(ApiDispatcher.VersionResult),
                "MAAS version information\nReturns a JSON object with the server's version, subversion and capability strings.");
}

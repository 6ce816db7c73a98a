namespace Anvil.Region.Api.Resources;

/// <summary>The <c>resource_uri</c> of objects: a path under the API prefix, which gomaasapi follows verbatim.</summary>
internal static class ResourceUris
{
    public const string Prefix = "/MAAS/api/2.0/";

    /// <summary><c>/MAAS/api/2.0/{collection}/{key}/</c> with the key escaped for a path segment.</summary>
    public static string Item(string collection, string key) => $"{Prefix}{collection}/{Uri.EscapeDataString(key)}/";

    public static string Item(string collection, long id) => $"{Prefix}{collection}/{id}/";
}

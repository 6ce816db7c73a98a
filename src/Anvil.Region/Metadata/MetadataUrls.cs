using Anvil.Region.Api.Framework;
using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Metadata;

/// <summary>
/// Where a machine reaches the metadata server: through the rack it booted from when the request
/// came through that rack's proxy (port 5248, which keeps the address the machine used in
/// <c>Host</c>), otherwise at the region's own URL (maas-api.md §7.6).
/// </summary>
internal static class MetadataUrls
{
    public const int RackPort = 5248;
    public const int RackSyslogPort = 5247;

    public static bool ViaRack(HttpRequest request) => request.Host.Port == RackPort;

    /// <summary>E.g. <c>http://10.0.0.1:5248/MAAS/metadata/</c>.</summary>
    public static string Base(HttpRequest request) =>
        ViaRack(request) ? $"http://{request.Host.Value}/MAAS/metadata/" : $"{ApiBaseUri.For(request)}/MAAS/metadata/";

    /// <summary>The rack's host as the machine addressed it (no port), when the request came through a rack.</summary>
    public static string? RackHost(HttpRequest request) => ViaRack(request) ? request.Host.Host : null;
}

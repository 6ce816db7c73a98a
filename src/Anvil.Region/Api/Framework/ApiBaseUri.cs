using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// The scheme and host a client used to reach us, behind a proxy too: MAAS trusts
/// <c>X-Forwarded-Host</c> and takes https when <c>X-Forwarded-Proto</c> says so.
/// </summary>
internal static class ApiBaseUri
{
    public static string For(HttpRequest request)
    {
        var forwardedHost = First(request.Headers["X-Forwarded-Host"].ToString());
        var host = forwardedHost.Length > 0 ? forwardedHost : request.Host.Value ?? "localhost";
        var forwardedProto = First(request.Headers["X-Forwarded-Proto"].ToString());
        var scheme = forwardedProto.Length == 0 ? request.Scheme
            : forwardedProto.Equals("https", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        return $"{scheme}://{host}";
    }

    private static string First(string header)
    {
        var comma = header.IndexOf(',');
        return (comma < 0 ? header : header[..comma]).Trim();
    }
}

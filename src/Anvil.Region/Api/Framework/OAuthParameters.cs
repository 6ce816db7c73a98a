using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Collects the OAuth 1.0a parameters of a request from the Authorization header, the query
/// string and the form body (in that order of preference), as MAAS accepts them from all three.
/// </summary>
internal static class OAuthParameters
{
    public static readonly string[] Required =
    [
        "oauth_consumer_key",
        "oauth_token",
        "oauth_signature",
        "oauth_signature_method",
        "oauth_timestamp",
        "oauth_nonce",
    ];

    /// <summary>The OAuth parameters, or null when the request carries no OAuth credentials at all.</summary>
    public static Dictionary<string, string>? Read(HttpRequest request, ApiBody body)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var header = request.Headers.Authorization.ToString();
        var fromHeader = ParseAuthorizationHeader(header);
        foreach (var (key, value) in fromHeader ?? [])
            found.TryAdd(key, value);
        foreach (var (key, values) in request.Query)
        {
            if (key.StartsWith("oauth_", StringComparison.Ordinal) && values.Count > 0)
                found.TryAdd(key, values[^1] ?? string.Empty);
        }

        foreach (var (key, value) in body.Values)
        {
            if (key.StartsWith("oauth_", StringComparison.Ordinal))
                found.TryAdd(key, value);
        }

        return fromHeader is not null || found.Count > 0 ? found : null;
    }

    /// <summary>
    /// <c>OAuth realm="…", oauth_consumer_key="…", …</c>: any order, realm optional and ignored,
    /// values quoted or not and percent-encoded. Null when the header is not an OAuth header.
    /// </summary>
    public static Dictionary<string, string>? ParseAuthorizationHeader(string? header)
    {
        if (header is null || !header.StartsWith("OAuth", StringComparison.OrdinalIgnoreCase))
            return null;
        if (header.Length > 5 && header[5] is not (' ' or '\t' or ','))
            return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in header[5..].Split(','))
        {
            var equals = item.IndexOf('=');
            if (equals <= 0)
                continue;
            var key = Uri.UnescapeDataString(item[..equals].Trim());
            var value = item[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                value = value[1..^1];
            if (key != "realm")
                result[key] = Uri.UnescapeDataString(value);
        }

        return result;
    }
}

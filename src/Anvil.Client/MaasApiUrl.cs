using System.Text.RegularExpressions;

namespace Anvil.Client;

/// <summary>Turns the URL a user types into the API 2.0 base URL, the way the <c>maas</c> CLI does.</summary>
public static partial class MaasApiUrl
{
    /// <summary>
    /// Adds a trailing slash and, unless the path already ends in <c>/api/&lt;version&gt;/</c>,
    /// appends <c>api/2.0/</c>: <c>http://h:5240/MAAS</c> becomes <c>http://h:5240/MAAS/api/2.0/</c>.
    /// </summary>
    /// <param name="url">An absolute http or https URL.</param>
    /// <returns>The API base URL, always ending in a slash.</returns>
    /// <exception cref="FormatException">The text is not an absolute http(s) URL.</exception>
    public static Uri Normalize(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new FormatException($"'{url}' is not an absolute http:// or https:// URL.");
        }

        return Normalize(uri);
    }

    /// <inheritdoc cref="Normalize(string)"/>
    public static Uri Normalize(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var builder = new UriBuilder(url) { Query = "", Fragment = "" };
        var path = builder.Path.EndsWith('/') ? builder.Path : builder.Path + "/";
        if (!ApiVersionSuffix().IsMatch(path))
        {
            path += "api/2.0/";
        }

        builder.Path = path;
        return builder.Uri;
    }

    [GeneratedRegex(@"/api/[0-9]+(\.[0-9]+)?/$")]
    private static partial Regex ApiVersionSuffix();
}

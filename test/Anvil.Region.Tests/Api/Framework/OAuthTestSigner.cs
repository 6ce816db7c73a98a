namespace Anvil.Region.Api.Framework;

/// <summary>Builds OAuth 1.0a PLAINTEXT credentials the way MAAS clients do.</summary>
internal static class OAuthTestSigner
{
    /// <summary>The parameters, unencoded, with signature <c>&amp;&lt;token_secret&gt;</c>.</summary>
    public static Dictionary<string, string> Parameters(TestApiKey key, long timestamp, string? nonce = null, string? tokenSecret = null) => new()
    {
        ["oauth_consumer_key"] = key.ConsumerKey,
        ["oauth_token"] = key.TokenKey,
        ["oauth_signature_method"] = "PLAINTEXT",
        ["oauth_signature"] = $"{Uri.EscapeDataString(key.ConsumerSecret)}&{Uri.EscapeDataString(tokenSecret ?? key.TokenSecret)}",
        ["oauth_timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["oauth_nonce"] = nonce ?? Guid.NewGuid().ToString("N"),
        ["oauth_version"] = "1.0",
    };

    /// <summary>
    /// An <c>Authorization</c> header: quoted, percent-encoded values (as oauthlib and gomaasclient
    /// send them), with the realm as given (<c>null</c> leaves it out, as oauthlib does).
    /// </summary>
    public static string Header(IReadOnlyDictionary<string, string> parameters, string? realm = null, bool reverseOrder = false)
    {
        var items = parameters.Select(p => $"{p.Key}=\"{Uri.EscapeDataString(p.Value)}\"").ToList();
        if (reverseOrder)
            items.Reverse();
        if (realm is not null)
            items.Insert(0, $"realm=\"{realm}\"");
        return "OAuth " + string.Join(", ", items);
    }

    public static void Sign(HttpRequestMessage request, TestApiKey key, long timestamp, string? nonce = null) =>
        request.Headers.TryAddWithoutValidation("Authorization", Header(Parameters(key, timestamp, nonce)));
}

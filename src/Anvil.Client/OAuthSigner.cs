using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Anvil.Client;

/// <summary>
/// Builds the OAuth 1.0 PLAINTEXT <c>Authorization</c> header MAAS expects. PLAINTEXT does not
/// sign the request, so the same key produces a valid header for any URL; only the timestamp and
/// nonce change between requests.
/// </summary>
public sealed class OAuthSigner
{
    private readonly MaasApiKey _key;
    private readonly TimeProvider _time;

    /// <summary>Creates a signer for one API key.</summary>
    /// <param name="key">The API key whose token the header carries.</param>
    /// <param name="time">The clock for <c>oauth_timestamp</c>; the system clock when omitted.</param>
    public OAuthSigner(MaasApiKey key, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The PLAINTEXT signature as it appears in the header: the percent-encoded
    /// <c>consumer_secret&amp;token_secret</c>, i.e. <c>%26&lt;token_secret&gt;</c> for user keys.
    /// </summary>
    public string Signature =>
        Uri.EscapeDataString(Uri.EscapeDataString(_key.ConsumerSecret) + "&" + Uri.EscapeDataString(_key.TokenSecret));

    /// <summary>Builds a fresh header value with the current time and a new random nonce.</summary>
    /// <returns>The <c>OAuth ...</c> header value.</returns>
    public AuthenticationHeaderValue CreateHeader() => new("OAuth", CreateParameter());

    /// <summary>
    /// Builds the parameter part of the header (everything after <c>OAuth </c>) with the current
    /// time and a new random nonce.
    /// </summary>
    /// <returns>The comma-separated <c>key="value"</c> list.</returns>
    public string CreateParameter()
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        (string Name, string Value)[] fields =
        [
            ("oauth_version", "1.0"),
            ("oauth_signature_method", "PLAINTEXT"),
            ("oauth_consumer_key", Uri.EscapeDataString(_key.ConsumerKey)),
            ("oauth_token", Uri.EscapeDataString(_key.TokenKey)),
            ("oauth_signature", Signature),
            ("oauth_timestamp", timestamp),
            ("oauth_nonce", nonce),
        ];
        return string.Join(", ", fields.Select(f => $"{f.Name}=\"{f.Value}\""));
    }
}

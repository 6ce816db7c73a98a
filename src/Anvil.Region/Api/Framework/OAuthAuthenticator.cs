using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Anvil.Domain.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Verifies OAuth 1.0a PLAINTEXT credentials as MAAS does: signature
/// <c>&lt;consumer_secret&gt;&amp;&lt;token_secret&gt;</c>, timestamp within the threshold,
/// nonce unused. Secrets are compared in constant time and never logged.
/// </summary>
internal sealed class OAuthAuthenticator(
    IApiCredentialStore store,
    TimeProvider time,
    IOptions<MaasApiOptions> options,
    ILogger<OAuthAuthenticator> logger)
{
    public async Task<ApiUser> AuthenticateAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var missing = OAuthParameters.Required.Where(p => !parameters.ContainsKey(p)).ToList();
        if (missing.Count > 0)
            throw Refuse($"'Missing OAuth parameters: {string.Join(", ", missing)}'", "missing parameters");

        var method = parameters["oauth_signature_method"];
        if (method != "PLAINTEXT")
            throw Refuse($"'Signature method {method} is not supported; use PLAINTEXT.'", "unsupported signature method");

        if (!long.TryParse(parameters["oauth_timestamp"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp))
        {
            ApiLog.AuthenticationRefused(logger, "non-integer timestamp");
            throw new BadRequestException("Bad Request: oauth_timestamp must be an integer number of seconds.");
        }

        var consumerKey = parameters["oauth_consumer_key"];
        var tokenKey = parameters["oauth_token"];
        var token = await store.FindTokenAsync(consumerKey, tokenKey, cancellationToken);
        if (token is null)
        {
            if (!await store.ConsumerExistsAsync(consumerKey, cancellationToken))
                throw Refuse("Invalid API key.", "unknown consumer");
            throw Refuse($"Invalid access token: {tokenKey}", "unknown token");
        }

        if (!SignatureMatches(parameters["oauth_signature"], token))
            throw Refuse("'Invalid signature.'", "bad signature");

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var threshold = (long)options.Value.OAuthTimestampThreshold.TotalSeconds;
        if (Math.Abs((decimal)now - timestamp) > threshold)
            throw Refuse($"'Expired timestamp: given {timestamp} and now {now} differ by more than {threshold} seconds.'", "timestamp out of window");

        var nonce = parameters["oauth_nonce"];
        if (!await store.TryUseNonceAsync(tokenKey, nonce, DateTimeOffset.FromUnixTimeSeconds(timestamp), cancellationToken))
            throw Refuse($"'Nonce already used: {nonce}'", "nonce replayed");

        if (!token.UserIsActive)
        {
            ApiLog.AuthenticationRefused(logger, "inactive user");
            throw new ForbiddenException("User is not allowed access to this API.");
        }

        return token.User;
    }

    /// <summary>
    /// The signature is <c>encode(consumer_secret)&amp;encode(token_secret)</c>; each half is
    /// percent-decoded, the consumer secret compared as stored, the token secret by its SHA-256.
    /// </summary>
    private static bool SignatureMatches(string signature, ApiToken token)
    {
        var ampersand = signature.IndexOf('&');
        if (ampersand < 0)
            return false;
        var consumerSecret = Encoding.UTF8.GetBytes(Uri.UnescapeDataString(signature[..ampersand]));
        var tokenSecret = Encoding.UTF8.GetBytes(Uri.UnescapeDataString(signature[(ampersand + 1)..]));
        var consumerMatches = CryptographicOperations.FixedTimeEquals(consumerSecret, Encoding.UTF8.GetBytes(token.ConsumerSecret));
        var tokenMatches = CryptographicOperations.FixedTimeEquals(SHA256.HashData(tokenSecret), token.TokenSecretHash);
        CryptographicOperations.ZeroMemory(tokenSecret);
        return consumerMatches & tokenMatches;
    }

    private UnauthorizedException Refuse(string message, string reason)
    {
        ApiLog.AuthenticationRefused(logger, reason);
        return new UnauthorizedException($"Authorization Error: {message}");
    }
}

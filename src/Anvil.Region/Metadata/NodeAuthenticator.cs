using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Anvil.Data;
using Anvil.Data.Metadata;
using Anvil.Domain.Errors;
using Anvil.Region.Api.Framework;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anvil.Region.Metadata;

/// <summary>
/// Knows a node by its own OAuth token (maas-api.md §7): PLAINTEXT signature
/// <c>&amp;token_secret</c> compared in constant time, timestamp within the API's window and
/// nonce unused (the node's runner corrects its clock from the <c>Date</c> of a 401/403 and
/// retries). A token that is not a node's is refused with 403 "Not authenticated as a known node.".
/// </summary>
internal sealed class NodeAuthenticator(
    Database db, IApiCredentialStore nonces, TimeProvider time, IOptions<MaasApiOptions> options, ILogger<NodeAuthenticator> logger)
{
    public const string UnknownNode = "Not authenticated as a known node.";

    /// <summary>
    /// The node that signed the request, or null when it carries no OAuth credentials at all.
    /// <paramref name="checkFreshness"/> false skips the timestamp and nonce checks (status reports,
    /// which cloud-init sends without correcting its clock).
    /// </summary>
    public async Task<NodeKey?> AuthenticateAsync(HttpRequest request, ApiBody body, bool checkFreshness, CancellationToken ct)
    {
        if (OAuthParameters.Read(request, body) is not { } parameters)
            return null;
        var missing = OAuthParameters.Required.Where(p => !parameters.ContainsKey(p)).ToList();
        if (missing.Count > 0)
            throw Refuse($"'Missing OAuth parameters: {string.Join(", ", missing)}'", "missing parameters");
        if (parameters["oauth_signature_method"] != "PLAINTEXT")
            throw Refuse($"'Signature method {parameters["oauth_signature_method"]} is not supported; use PLAINTEXT.'", "unsupported signature method");
        if (!long.TryParse(parameters["oauth_timestamp"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp))
            throw new BadRequestException("Bad Request: oauth_timestamp must be an integer number of seconds.");

        var key = await db.ReadAsync(c => NodeKeyStore.FindByTokenAsync(c, parameters["oauth_token"], ct), ct);
        if (key is null || !FixedTimeEquals(parameters["oauth_consumer_key"], key.ConsumerKey))
        {
            MetadataLog.UnknownToken(logger);
            throw new ForbiddenException(UnknownNode);
        }

        if (!SignatureMatches(parameters["oauth_signature"], key.TokenSecret))
            throw Refuse("'Invalid signature.'", "bad signature");
        if (!checkFreshness)
            return key;

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var threshold = (long)options.Value.OAuthTimestampThreshold.TotalSeconds;
        if (Math.Abs((decimal)now - timestamp) > threshold)
            throw Refuse($"'Expired timestamp: given {timestamp} and now {now} differ by more than {threshold} seconds.'", "timestamp out of window");
        var nonce = parameters["oauth_nonce"];
        if (!await nonces.TryUseNonceAsync(key.TokenKey, nonce, DateTimeOffset.FromUnixTimeSeconds(timestamp), ct))
            throw Refuse($"'Nonce already used: {nonce}'", "nonce replayed");
        return key;
    }

    /// <summary>The consumer secret is empty for node tokens, so the signature must be exactly <c>&amp;secret</c> (each half percent-decoded).</summary>
    private static bool SignatureMatches(string signature, string tokenSecret)
    {
        var ampersand = signature.IndexOf('&', StringComparison.Ordinal);
        if (ampersand < 0)
            return false;
        var consumerSecret = Uri.UnescapeDataString(signature[..ampersand]);
        var given = Uri.UnescapeDataString(signature[(ampersand + 1)..]);
        return consumerSecret.Length == 0 & FixedTimeEquals(given, tokenSecret);
    }

    /// <summary>Compares hashes so that neither content nor length leaks through timing.</summary>
    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private UnauthorizedException Refuse(string message, string reason)
    {
        MetadataLog.AuthenticationRefused(logger, reason);
        return new UnauthorizedException($"Authorization Error: {message}");
    }
}

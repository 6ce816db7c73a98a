namespace Anvil.Region.Api.Framework;

/// <summary>
/// Where OAuth tokens and nonces live (PostgreSQL, so every region sees the same tokens and a
/// nonce replayed against another region is still refused).
/// </summary>
public interface IApiCredentialStore
{
    /// <summary>The token with this consumer and token key, or null when either is unknown.</summary>
    Task<ApiToken?> FindTokenAsync(string consumerKey, string tokenKey, CancellationToken cancellationToken);

    /// <summary>
    /// Whether any token has this consumer key. Asked only after <see cref="FindTokenAsync"/> found
    /// nothing, to tell "Invalid API key." (unknown consumer) from "Invalid access token: …".
    /// </summary>
    Task<bool> ConsumerExistsAsync(string consumerKey, CancellationToken cancellationToken);

    /// <summary>
    /// Records a nonce for the token; false if this (token, nonce) was already used within the
    /// timestamp window, which means the request is a replay.
    /// </summary>
    Task<bool> TryUseNonceAsync(string tokenKey, string nonce, DateTimeOffset timestamp, CancellationToken cancellationToken);
}

/// <summary>
/// A stored API token: the consumer secret (empty for user keys), the SHA-256 of the token secret
/// (secrets are never stored in clear), and the user it authenticates.
/// </summary>
public sealed record ApiToken(string ConsumerKey, string TokenKey, string ConsumerSecret, byte[] TokenSecretHash, ApiUser User, bool UserIsActive);

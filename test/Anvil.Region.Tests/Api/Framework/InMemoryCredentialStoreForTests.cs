using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Tokens and nonces in memory for the framework's unit tests. The real store is PostgreSQL-backed
/// (shared by all regions) and is tested end-to-end elsewhere.
/// </summary>
internal sealed class InMemoryCredentialStoreForTests : IApiCredentialStore
{
    private readonly ConcurrentDictionary<(string Consumer, string Token), ApiToken> _tokens = new();
    private readonly ConcurrentDictionary<(string Token, string Nonce), bool> _nonces = new();

    public TestApiKey AddKey(ApiUser user, bool active = true, string consumerSecret = "")
    {
        var key = new TestApiKey(RandomKey(18), RandomKey(18), RandomKey(32), consumerSecret);
        _tokens[(key.ConsumerKey, key.TokenKey)] = new ApiToken(
            key.ConsumerKey, key.TokenKey, consumerSecret, SHA256.HashData(Encoding.UTF8.GetBytes(key.TokenSecret)), user, active);
        return key;
    }

    public Task<ApiToken?> FindTokenAsync(string consumerKey, string tokenKey, CancellationToken cancellationToken) =>
        Task.FromResult(_tokens.GetValueOrDefault((consumerKey, tokenKey)));

    public Task<bool> ConsumerExistsAsync(string consumerKey, CancellationToken cancellationToken) =>
        Task.FromResult(_tokens.Keys.Any(k => k.Consumer == consumerKey));

    public Task<bool> TryUseNonceAsync(string tokenKey, string nonce, DateTimeOffset timestamp, CancellationToken cancellationToken) =>
        Task.FromResult(_nonces.TryAdd((tokenKey, nonce), true));

    private static string RandomKey(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
}

/// <summary>An API key as a client holds it: <c>consumer_key:token_key:token_secret</c>.</summary>
internal sealed record TestApiKey(string ConsumerKey, string TokenKey, string TokenSecret, string ConsumerSecret = "");

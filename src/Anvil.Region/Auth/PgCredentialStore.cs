using Anvil.Data.Users;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Auth;

/// <summary>OAuth tokens and nonces in PostgreSQL, shared by every region.</summary>
internal sealed class PgCredentialStore(UserStore users) : IApiCredentialStore
{
    public async Task<ApiToken?> FindTokenAsync(string consumerKey, string tokenKey, CancellationToken cancellationToken)
    {
        if (await users.FindTokenAsync(consumerKey, tokenKey, cancellationToken) is not var (token, user))
            return null;
        return new ApiToken(
            token.ConsumerKey,
            token.TokenKey,
            token.ConsumerSecret,
            token.SecretSha256,
            new ApiUser(user.Id, user.Username, user.Email, user.IsSuperuser, user.IsLocal),
            user.IsActive);
    }

    public Task<bool> ConsumerExistsAsync(string consumerKey, CancellationToken cancellationToken) =>
        users.ConsumerExistsAsync(consumerKey, cancellationToken);

    public Task<bool> TryUseNonceAsync(string tokenKey, string nonce, DateTimeOffset timestamp, CancellationToken cancellationToken) =>
        users.TryUseNonceAsync(tokenKey, nonce, timestamp, cancellationToken);
}

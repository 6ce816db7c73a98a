namespace Anvil.Data.Users;

/// <summary>A token as stored: the secret only as its SHA-256.</summary>
public sealed record StoredApiToken(
    long Id, long UserId, string ConsumerKey, string ConsumerName, string ConsumerSecret, string TokenKey, byte[] SecretSha256, DateTime Created);

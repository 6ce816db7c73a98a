using Dapper;
using Npgsql;

namespace Anvil.Data.Users;

/// <summary>Users and their API tokens.</summary>
public sealed class UserStore(Database db)
{
    private const string UserColumns = "id, username, email, is_superuser, is_active, is_local";

    public Task<UserRecord?> FindAsync(string username, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<UserRecord>(
            new CommandDefinition($"SELECT {UserColumns} FROM users WHERE username = @username", new { username }, cancellationToken: ct)), ct);

    public Task<UserRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string username, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<UserRecord>(
            new CommandDefinition($"SELECT {UserColumns} FROM users WHERE username = @username", new { username }, tx, cancellationToken: ct));

    public Task<UserRecord?> FindAsync(long id, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<UserRecord>(
            new CommandDefinition($"SELECT {UserColumns} FROM users WHERE id = @id", new { id }, cancellationToken: ct)), ct);

    /// <summary>Whether another user already has this email address (compared case-insensitively; empty addresses never clash).</summary>
    public static Task<bool> EmailTakenAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string email, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT @email <> '' AND EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@email))", new { email }, tx, cancellationToken: ct));

    /// <summary>How many nodes the user owns (what keeps a user from being deleted without a transfer).</summary>
    public static Task<long> OwnedNodeCountAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long userId, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM node WHERE owner_id = @userId", new { userId }, tx, cancellationToken: ct));

    /// <summary>Gives every node <paramref name="fromUserId"/> owns to <paramref name="toUserId"/>.</summary>
    public static Task<int> TransferNodesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long fromUserId, long toUserId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE node SET owner_id = @toUserId, updated = now() WHERE owner_id = @fromUserId",
            new { fromUserId, toUserId },
            tx,
            cancellationToken: ct));

    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<UserRecord>(
            new CommandDefinition($"SELECT {UserColumns} FROM users ORDER BY username", cancellationToken: ct)), ct)).AsList();

    public Task<bool> AnyAdminAsync(CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<bool>(
            new CommandDefinition("SELECT EXISTS (SELECT 1 FROM users WHERE is_superuser AND is_active)", cancellationToken: ct)), ct);

    /// <summary>Inserts a user; null when the username is taken.</summary>
    public static async Task<UserRecord?> CreateAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, string username, string email, string password, bool isSuperuser, CancellationToken ct)
    {
        return await c.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            $"""
            INSERT INTO users (username, email, password_hash, is_superuser)
            VALUES (@username, @email, @hash, @isSuperuser)
            ON CONFLICT (username) DO NOTHING
            RETURNING {UserColumns}
            """,
            new { username, email, hash = Credentials.HashPassword(password), isSuperuser },
            tx,
            cancellationToken: ct));
    }

    public static Task<int> DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long userId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE id = @userId", new { userId }, tx, cancellationToken: ct));

    public static Task<string?> PasswordHashAsync(NpgsqlConnection c, string username, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT password_hash FROM users WHERE username = @username AND is_active", new { username }, cancellationToken: ct));

    public static async Task<NewApiToken> CreateTokenAsync(NpgsqlConnection c, NpgsqlTransaction tx, long userId, string? consumerName, CancellationToken ct)
    {
        var token = new NewApiToken(
            Credentials.RandomKey(18), Credentials.RandomKey(18), Credentials.RandomKey(32), string.IsNullOrEmpty(consumerName) ? "MAAS consumer" : consumerName);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_token (user_id, consumer_key, consumer_name, token_key, secret_sha256)
            VALUES (@userId, @ConsumerKey, @ConsumerName, @TokenKey, @hash)
            """,
            new { userId, token.ConsumerKey, token.ConsumerName, token.TokenKey, hash = Credentials.HashTokenSecret(token.TokenSecret) },
            tx,
            cancellationToken: ct));
        return token;
    }

    public async Task<IReadOnlyList<StoredApiToken>> ListTokensAsync(long userId, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<StoredApiToken>(new CommandDefinition(
            """
            SELECT id, user_id, consumer_key, consumer_name, consumer_secret, token_key, secret_sha256, created
            FROM api_token WHERE user_id = @userId ORDER BY id
            """,
            new { userId },
            cancellationToken: ct)), ct)).AsList();

    public Task<int> DeleteTokenAsync(long userId, string tokenKey, CancellationToken ct) =>
        db.InTransactionAsync((c, tx) => DeleteTokenAsync(c, tx, userId, tokenKey, ct), ct);

    public Task<int> RenameTokenAsync(long userId, string tokenKey, string name, CancellationToken ct) =>
        db.InTransactionAsync((c, tx) => RenameTokenAsync(c, tx, userId, tokenKey, name, ct), ct);

    public static Task<int> DeleteTokenAsync(NpgsqlConnection c, NpgsqlTransaction tx, long userId, string tokenKey, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM api_token WHERE user_id = @userId AND token_key = @tokenKey", new { userId, tokenKey }, tx, cancellationToken: ct));

    public static Task<int> RenameTokenAsync(NpgsqlConnection c, NpgsqlTransaction tx, long userId, string tokenKey, string name, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE api_token SET consumer_name = @name WHERE user_id = @userId AND token_key = @tokenKey",
            new { userId, tokenKey, name },
            tx,
            cancellationToken: ct));

    /// <summary>The token and its user for OAuth, in one round trip.</summary>
    public Task<(StoredApiToken Token, UserRecord User)?> FindTokenAsync(string consumerKey, string tokenKey, CancellationToken ct) =>
        db.ReadAsync(
            async c =>
            {
                var rows = await c.QueryAsync<StoredApiToken, UserRecord, (StoredApiToken, UserRecord)>(
                    new CommandDefinition(
                        """
                        SELECT t.id, t.user_id, t.consumer_key, t.consumer_name, t.consumer_secret, t.token_key, t.secret_sha256, t.created,
                               u.id, u.username, u.email, u.is_superuser, u.is_active, u.is_local
                        FROM api_token t JOIN users u ON u.id = t.user_id
                        WHERE t.consumer_key = @consumerKey AND t.token_key = @tokenKey
                        """,
                        new { consumerKey, tokenKey },
                        cancellationToken: ct),
                    (t, u) => (t, u),
                    splitOn: "id");
                var list = rows.AsList();
                return list.Count == 1 ? list[0] : ((StoredApiToken, UserRecord)?)null;
            },
            ct);

    public Task<bool> ConsumerExistsAsync(string consumerKey, CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM api_token WHERE consumer_key = @consumerKey)", new { consumerKey }, cancellationToken: ct)), ct);

    /// <summary>True when the nonce is new for this token; false for a replay.</summary>
    public Task<bool> TryUseNonceAsync(string tokenKey, string nonce, DateTimeOffset seen, CancellationToken ct) =>
        db.ReadAsync(
            async c => await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO oauth_nonce (token_key, nonce, seen) VALUES (@tokenKey, @nonce, @seen) ON CONFLICT DO NOTHING",
                new { tokenKey, nonce, seen },
                cancellationToken: ct)) == 1,
            ct);

    /// <summary>Nonces older than the timestamp window can never be replayed successfully, so they go.</summary>
    public Task<int> PurgeNoncesAsync(DateTimeOffset olderThan, CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM oauth_nonce WHERE seen < @olderThan", new { olderThan }, cancellationToken: ct)), ct);
}

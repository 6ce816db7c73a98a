using Dapper;
using Npgsql;

namespace Anvil.Data.SshKeys;

/// <summary>Users' SSH public keys, installed on the machines they deploy.</summary>
public sealed class SshKeyStore(Database db)
{
    private const string Columns = "id, user_id, key, keysource";

    public async Task<IReadOnlyList<SshKeyRecord>> ListAsync(long userId, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<SshKeyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM sshkey WHERE user_id = @userId ORDER BY id", new { userId }, cancellationToken: ct)), ct)).AsList();

    public Task<SshKeyRecord?> FindAsync(long id, CancellationToken ct) =>
        db.ReadAsync(c => FindAsync(c, null, id, ct), ct);

    public static Task<SshKeyRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<SshKeyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM sshkey WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>Adds a key for the user; null when the user already has exactly this key.</summary>
    public static Task<SshKeyRecord?> InsertAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long userId, string key, string? keysource, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<SshKeyRecord>(new CommandDefinition(
            $"""
            INSERT INTO sshkey (user_id, key, keysource) VALUES (@userId, @key, @keysource)
            ON CONFLICT (user_id, key) DO NOTHING RETURNING {Columns}
            """,
            new { userId, key, keysource },
            tx,
            cancellationToken: ct));

    public static Task<int> DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM sshkey WHERE id = @id", new { id }, tx, cancellationToken: ct));
}

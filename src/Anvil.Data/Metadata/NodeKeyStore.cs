using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Anvil.Data.Metadata;

/// <summary>
/// Each node's metadata token, made the first time someone needs it (its preseed, <c>get_token</c>).
/// Two requests that race to make it both end up with the same row: the insert gives way to the
/// row that is already there and both read that one back.
/// </summary>
public static class NodeKeyStore
{
    // MAAS's sizes for consumer key, token key and token secret (maas-api.md §1.1).
    private const int KeyLength = 18;
    private const int SecretLength = 32;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static async Task<NodeKey> GetOrCreateAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO node_key (node_id, consumer_key, token_key, token_secret)
            VALUES (@nodeId, @consumerKey, @tokenKey, @tokenSecret)
            ON CONFLICT (node_id) DO NOTHING
            """,
            new
            {
                nodeId,
                consumerKey = RandomString(KeyLength),
                tokenKey = RandomString(KeyLength),
                tokenSecret = RandomString(SecretLength),
            },
            tx,
            cancellationToken: ct));
        return (await c.QuerySingleAsync<Row>(new CommandDefinition(
            """
            SELECT k.node_id, n.system_id, k.consumer_key, k.token_key, k.token_secret
            FROM node_key k JOIN node n ON n.id = k.node_id WHERE k.node_id = @nodeId
            """,
            new { nodeId },
            tx,
            cancellationToken: ct))).ToKey();
    }

    /// <summary>The key with this token key, or null: the caller compares the secret itself.</summary>
    public static async Task<NodeKey?> FindByTokenAsync(NpgsqlConnection c, string tokenKey, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT k.node_id, n.system_id, k.consumer_key, k.token_key, k.token_secret
            FROM node_key k JOIN node n ON n.id = k.node_id WHERE k.token_key = @tokenKey
            """,
            new { tokenKey },
            cancellationToken: ct)))?.ToKey();

    private sealed class Row
    {
        public long NodeId { get; set; }
        public string SystemId { get; set; } = "";
        public string ConsumerKey { get; set; } = "";
        public string TokenKey { get; set; } = "";
        public string TokenSecret { get; set; } = "";

        public NodeKey ToKey() => new(NodeId, SystemId, ConsumerKey, TokenKey, TokenSecret);
    }

    private static string RandomString(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}

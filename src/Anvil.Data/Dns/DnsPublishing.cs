using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Anvil.Data.Dns;

/// <summary>
/// The publisher's bookkeeping in the database: the change markers the triggers leave
/// (<c>dns_change</c>, 0004_dns.sql), the BIND servers regions register (<c>dns_server</c>) and the
/// TSIG secret every region's named shares.
/// </summary>
public static class DnsPublishing
{
    /// <summary>MAAS's advisory lock for DNS (maas-api.md §11.2: classid 20120116, objid 6).</summary>
    public const int LockClass = 20120116;

    public const int LockObject = 6;

    public const string ChangeChannel = "dns_change";

    private const string SecretName = "dns_tsig_secret";

    public static Task<long> LatestChangeAsync(NpgsqlConnection c, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(id), 0) FROM dns_change", cancellationToken: ct));

    /// <summary>Drops the markers a publish has covered; later ones stay and wake the next cycle.</summary>
    public static Task ForgetChangesAsync(NpgsqlConnection c, long upTo, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM dns_change WHERE id <= @upTo", new { upTo }, cancellationToken: ct));

    public static Task RegisterServerAsync(NpgsqlConnection c, string endpoint, string region, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dns_server (endpoint, region, last_seen) VALUES (@endpoint, @region, now())
            ON CONFLICT (endpoint) DO UPDATE SET region = EXCLUDED.region, last_seen = now()
            """,
            new { endpoint, region },
            cancellationToken: ct));

    /// <summary>Servers whose region refreshed them within <paramref name="maxAge"/>, in a stable order.</summary>
    public static async Task<IReadOnlyList<string>> LiveServersAsync(NpgsqlConnection c, TimeSpan maxAge, CancellationToken ct) =>
        [.. await c.QueryAsync<string>(new CommandDefinition(
            "SELECT endpoint FROM dns_server WHERE last_seen > now() - make_interval(secs => @seconds) ORDER BY endpoint",
            new { seconds = maxAge.TotalSeconds },
            cancellationToken: ct))];

    /// <summary>The update key's secret, made once by whichever region asks first.</summary>
    public static Task<string> SharedSecretAsync(Database db, CancellationToken ct) =>
        db.InTransactionAsync(
            (c, tx) => Config.ConfigStore.GetOrAddInternalAsync(c, tx, SecretName, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), ct),
            ct);
}

using Dapper;
using Npgsql;

namespace Anvil.Data.Dns;

/// <summary>The non-address records of DNS resources (MAAS's DNSData), with their resource's name and domain.</summary>
public static class DnsDataStore
{
    private const string Select =
        """
        SELECT x.id, x.dnsresource_id, r.name, d.name AS domain_name, x.rrtype, x.rrdata, x.ttl
        FROM dnsdata x JOIN dnsresource r ON r.id = x.dnsresource_id JOIN domain d ON d.id = r.domain_id
        """;

    public static async Task<IReadOnlyList<DnsDataRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, DnsQuery query, CancellationToken ct) =>
        (await c.QueryAsync<DnsDataRecord>(new CommandDefinition(
            $"""
            {Select}
            WHERE (@domainId::bigint IS NULL OR r.domain_id = @domainId)
              AND (@name::text IS NULL OR r.name = @name)
              AND (@rrtype::text IS NULL OR x.rrtype = @rrtype)
            ORDER BY x.id
            """,
            new { domainId = query.DomainId, name = query.Name, rrtype = query.RrType?.ToUpperInvariant() },
            tx,
            cancellationToken: ct))).AsList();

    public static async Task<IReadOnlyList<DnsDataRecord>> ListByResourcesAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long[] resourceIds, CancellationToken ct) =>
        (await c.QueryAsync<DnsDataRecord>(new CommandDefinition(
            $"{Select} WHERE x.dnsresource_id = ANY(@resourceIds) ORDER BY x.id", new { resourceIds }, tx, cancellationToken: ct))).AsList();

    public static Task<DnsDataRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<DnsDataRecord?>(new CommandDefinition($"{Select} WHERE x.id = @id", new { id }, tx, cancellationToken: ct));

    public static async Task<DnsDataRecord> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long resourceId, string rrtype, string rrdata, int? ttl, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO dnsdata (dnsresource_id, rrtype, rrdata, ttl) VALUES (@resourceId, @rrtype, @rrdata, @ttl) RETURNING id",
            new { resourceId, rrtype, rrdata, ttl },
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static async Task<DnsDataRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, string rrtype, string rrdata, int? ttl, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE dnsdata SET rrtype = @rrtype, rrdata = @rrdata, ttl = @ttl, updated = now() WHERE id = @id",
            new { id, rrtype, rrdata, ttl },
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM dnsdata WHERE id = @id", new { id }, tx, cancellationToken: ct));
}

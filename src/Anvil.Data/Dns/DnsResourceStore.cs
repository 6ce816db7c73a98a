using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Dns;

/// <summary>Which DNS resources or records a listing returns; every set filter applies.</summary>
public sealed record DnsQuery(long? DomainId = null, string? Name = null, string? RrType = null);

/// <summary>
/// DNS resources (a name in a domain) and their address links. Addresses are rows of
/// <c>staticipaddress</c>: a listed IP that no row holds becomes a USER_RESERVED address in the
/// subnet that contains it (or in none), as MAAS's DNS resource form does.
/// </summary>
public static class DnsResourceStore
{
    private const string Select =
        """
        SELECT r.id, r.name, r.domain_id, d.name AS domain_name, r.address_ttl,
               ARRAY(SELECT l.staticipaddress_id FROM dnsresource_ip l WHERE l.dnsresource_id = r.id ORDER BY l.staticipaddress_id) AS address_ids
        FROM dnsresource r JOIN domain d ON d.id = r.domain_id
        """;

    public static async Task<IReadOnlyList<DnsResourceRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, DnsQuery query, CancellationToken ct)
    {
        // rrtype A/AAAA select resources by the family of their addresses, other types by their data.
        var rrtype = query.RrType?.ToUpperInvariant();
        return [.. (await c.QueryAsync<ResourceRow>(new CommandDefinition(
            $"""
            {Select}
            WHERE (@domainId::bigint IS NULL OR r.domain_id = @domainId)
              AND (@name::text IS NULL OR r.name = @name)
              AND (@rrtype::text IS NULL
                   OR (@rrtype IN ('A', 'AAAA') AND EXISTS (
                        SELECT 1 FROM dnsresource_ip l JOIN staticipaddress a ON a.id = l.staticipaddress_id
                        WHERE l.dnsresource_id = r.id AND family(a.ip) = CASE @rrtype WHEN 'A' THEN 4 ELSE 6 END))
                   OR EXISTS (SELECT 1 FROM dnsdata x WHERE x.dnsresource_id = r.id AND x.rrtype = @rrtype))
            ORDER BY r.id
            """,
            new { domainId = query.DomainId, name = query.Name, rrtype },
            tx,
            cancellationToken: ct))).Select(r => r.ToRecord())];
    }

    public static async Task<DnsResourceRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<ResourceRow>(new CommandDefinition($"{Select} WHERE r.id = @id", new { id }, tx, cancellationToken: ct)))?.ToRecord();

    public static async Task<DnsResourceRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string name, long domainId, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<ResourceRow>(new CommandDefinition(
            $"{Select} WHERE r.name = @name AND r.domain_id = @domainId", new { name, domainId }, tx, cancellationToken: ct)))?.ToRecord();

    public static Task LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("SELECT 1 FROM dnsresource WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));

    public static async Task<long> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, string name, long domainId, int? addressTtl, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "INSERT INTO dnsresource (name, domain_id, address_ttl) VALUES (@name, @domainId, @addressTtl) ON CONFLICT (name, domain_id) DO NOTHING RETURNING id",
            new { name, domainId, addressTtl },
            tx,
            cancellationToken: ct)) ?? throw NameTaken(name);

    /// <summary>The resource of that name, created (without a TTL) when there is none.</summary>
    public static Task<long> FindOrCreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, string name, long domainId, CancellationToken ct) =>
        c.QuerySingleAsync<long>(new CommandDefinition(
            """
            INSERT INTO dnsresource (name, domain_id) VALUES (@name, @domainId)
            ON CONFLICT (name, domain_id) DO UPDATE SET updated = now()
            RETURNING id
            """,
            new { name, domainId },
            tx,
            cancellationToken: ct));

    public static async Task UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, string name, long domainId, int? addressTtl, CancellationToken ct)
    {
        var taken = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM dnsresource WHERE name = @name AND domain_id = @domainId AND id <> @id)",
            new { id, name, domainId },
            tx,
            cancellationToken: ct));
        if (taken)
            throw NameTaken(name);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE dnsresource SET name = @name, domain_id = @domainId, address_ttl = @addressTtl, updated = now() WHERE id = @id",
            new { id, name, domainId, addressTtl },
            tx,
            cancellationToken: ct));
    }

    /// <summary>
    /// Links exactly these IPs to the resource. An IP some address row holds is linked as it is;
    /// an unknown one becomes a USER_RESERVED address of <paramref name="userId"/>. Unlinked
    /// addresses stay: they may be reservations or node addresses in their own right.
    /// </summary>
    public static async Task SetAddressesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, IReadOnlyList<string> ips, long userId, CancellationToken ct)
    {
        var addressIds = new List<long>();
        foreach (var ip in ips)
        {
            var existing = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM staticipaddress WHERE ip = @ip::inet ORDER BY alloc_type = 6, id LIMIT 1", new { ip }, tx, cancellationToken: ct));
            existing ??= await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                """
                INSERT INTO staticipaddress (ip, alloc_type, subnet_id, user_id)
                VALUES (@ip::inet, 4, (SELECT s.id FROM subnet s WHERE @ip::inet << s.cidr ORDER BY masklen(s.cidr) DESC LIMIT 1), @userId)
                ON CONFLICT (ip) WHERE ip IS NOT NULL AND alloc_type <> 6 DO NOTHING
                RETURNING id
                """,
                new { ip, userId },
                tx,
                cancellationToken: ct))
                ?? throw new ConflictException($"IP address {ip} was taken by another request; try again.");
            addressIds.Add(existing.Value);
        }

        var ids = addressIds.Distinct().ToArray();
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM dnsresource_ip WHERE dnsresource_id = @id AND staticipaddress_id <> ALL(@ids)", new { id, ids }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO dnsresource_ip (dnsresource_id, staticipaddress_id) SELECT @id, unnest(@ids) ON CONFLICT DO NOTHING",
            new { id, ids },
            tx,
            cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE dnsresource SET updated = now() WHERE id = @id", new { id }, tx, cancellationToken: ct));
    }

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM dnsresource WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>Deletes the resource when it has neither addresses nor records left (MAAS drops such empty names).</summary>
    public static Task DeleteIfEmptyAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM dnsresource r WHERE r.id = @id
              AND NOT EXISTS (SELECT 1 FROM dnsresource_ip l WHERE l.dnsresource_id = r.id)
              AND NOT EXISTS (SELECT 1 FROM dnsdata x WHERE x.dnsresource_id = r.id)
            """,
            new { id },
            tx,
            cancellationToken: ct));

    private static ValidationException NameTaken(string name) => new("name", $"DNS resource with the name '{name}' already exists in this domain.");

    private sealed class ResourceRow
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public long DomainId { get; set; }

        public string DomainName { get; set; } = "";

        public int? AddressTtl { get; set; }

        public long[] AddressIds { get; set; } = [];

        public DnsResourceRecord ToRecord() => new(Id, Name, DomainId, DomainName, AddressTtl, AddressIds);
    }
}

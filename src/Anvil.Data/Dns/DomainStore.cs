using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Dns;

/// <summary>DNS domains. Exactly one is the default (a partial unique index); it cannot be deleted.</summary>
public static class DomainStore
{
    private const string Select =
        """
        SELECT d.id, d.name, d.authoritative, d.ttl, d.is_default,
               ARRAY(SELECT host(f) FROM unnest(d.forward_dns_servers) AS f) AS forward_dns_servers,
               (SELECT count(*) FROM dnsdata x JOIN dnsresource r ON r.id = x.dnsresource_id WHERE r.domain_id = d.id)
             + (SELECT count(*) FROM dnsresource_ip l JOIN dnsresource r ON r.id = l.dnsresource_id WHERE r.domain_id = d.id) AS resource_record_count
        FROM domain d
        """;

    public static async Task<IReadOnlyList<DomainRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        [.. (await c.QueryAsync<DomainRow>(new CommandDefinition($"{Select} ORDER BY d.id", transaction: tx, cancellationToken: ct))).Select(r => r.ToRecord())];

    public static async Task<DomainRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<DomainRow>(new CommandDefinition($"{Select} WHERE d.id = @id", new { id }, tx, cancellationToken: ct)))?.ToRecord();

    /// <summary>By id when the key is a number, else by name.</summary>
    public static async Task<DomainRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string key, CancellationToken ct) =>
        long.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? await FindAsync(c, tx, id, ct)
            : (await c.QuerySingleOrDefaultAsync<DomainRow>(new CommandDefinition($"{Select} WHERE d.name = @key", new { key }, tx, cancellationToken: ct)))?.ToRecord();

    public static async Task<DomainRecord> DefaultAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QuerySingleAsync<DomainRow>(new CommandDefinition($"{Select} WHERE d.is_default", transaction: tx, cancellationToken: ct))).ToRecord();

    /// <summary>Every domain name, longest first, for splitting an fqdn into name and domain.</summary>
    public static async Task<IReadOnlyList<(long Id, string Name)>> NamesAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<(long, string)>(new CommandDefinition("SELECT id, name FROM domain ORDER BY length(name) DESC, id", transaction: tx, cancellationToken: ct))).AsList();

    public static async Task<DomainRecord> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, DomainValues values, CancellationToken ct)
    {
        var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            INSERT INTO domain (name, authoritative, ttl, forward_dns_servers)
            VALUES (@Name, @Authoritative, @Ttl, @ForwardDnsServers::inet[])
            ON CONFLICT (name) DO NOTHING RETURNING id
            """,
            values,
            tx,
            cancellationToken: ct)) ?? throw NameTaken();
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static async Task<DomainRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, DomainValues values, CancellationToken ct)
    {
        var taken = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM domain WHERE name = @name AND id <> @id)", new { id, name = values.Name }, tx, cancellationToken: ct));
        if (taken)
            throw NameTaken();
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE domain SET name = @Name, authoritative = @Authoritative, ttl = @Ttl,
                forward_dns_servers = @ForwardDnsServers::inet[], updated = now()
            WHERE id = @Id
            """,
            new { values.Name, values.Authoritative, values.Ttl, values.ForwardDnsServers, Id = id },
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    /// <summary>Makes the domain the default; the old default stops being one in the same statement order the unique index needs.</summary>
    public static async Task SetDefaultAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE domain SET is_default = false, updated = now() WHERE is_default AND id <> @id", new { id }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE domain SET is_default = true, authoritative = true, updated = now() WHERE id = @id", new { id }, tx, cancellationToken: ct));
    }

    /// <summary>How many nodes and DNS resources are in the domain (either refuses a delete).</summary>
    public static Task<(long Nodes, long Resources)> UsageAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT (SELECT count(*) FROM node WHERE domain_id = @id), (SELECT count(*) FROM dnsresource WHERE domain_id = @id)",
            new { id },
            tx,
            cancellationToken: ct));

    public static Task LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("SELECT 1 FROM domain WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM domain WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private static ValidationException NameTaken() => new("name", "Domain with this Name already exists.");

    /// <summary>Dapper reads PostgreSQL arrays as <see cref="Array"/>; a settable row class takes them.</summary>
    private sealed class DomainRow
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public bool Authoritative { get; set; }

        public int? Ttl { get; set; }

        public bool IsDefault { get; set; }

        public string[] ForwardDnsServers { get; set; } = [];

        public long ResourceRecordCount { get; set; }

        public DomainRecord ToRecord() => new(Id, Name, Authoritative, Ttl, IsDefault, ForwardDnsServers, ResourceRecordCount);
    }
}

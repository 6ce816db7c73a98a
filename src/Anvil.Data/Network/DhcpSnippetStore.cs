using Dapper;
using Npgsql;

namespace Anvil.Data.Network;

/// <summary>A DHCP snippet; <c>OptionsJson</c> is the structured option list (see <c>Anvil.Domain.Dhcp</c>).</summary>
public sealed record DhcpSnippetRecord(
    long Id,
    string Name,
    string Description,
    string OptionsJson,
    bool Enabled,
    long? NodeId,
    string? NodeSystemId,
    string? NodeHostname,
    string? NodeDomain,
    long? SubnetId,
    long? IpRangeId,
    DateTimeOffset Created);

/// <summary>An earlier value of a snippet; ids grow with time.</summary>
public sealed record DhcpSnippetVersion(long Id, string OptionsJson, DateTimeOffset Created);

/// <summary>What a snippet create or update writes. Scope: none of node/subnet is global; an IP range needs its subnet.</summary>
public sealed record DhcpSnippetValues(string Name, string Description, string OptionsJson, bool Enabled, long? NodeId, long? SubnetId, long? IpRangeId);

/// <summary>DHCP snippets and their history: every change of the options keeps the previous options.</summary>
public static class DhcpSnippetStore
{
    private const string Select =
        """
        SELECT s.id, s.name, s.description, s.options::text AS options_json, s.enabled, s.node_id,
               n.system_id AS node_system_id, n.hostname AS node_hostname, d.name AS node_domain,
               s.subnet_id, s.iprange_id, s.created
        FROM dhcpsnippet s LEFT JOIN node n ON n.id = s.node_id LEFT JOIN domain d ON d.id = n.domain_id
        """;

    public static async Task<IReadOnlyList<DhcpSnippetRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<DhcpSnippetRecord>(new CommandDefinition($"{Select} ORDER BY s.id", transaction: tx, cancellationToken: ct))).AsList();

    public static Task<DhcpSnippetRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<DhcpSnippetRecord?>(new CommandDefinition($"{Select} WHERE s.id = @id", new { id }, tx, cancellationToken: ct));

    public static Task LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("SELECT 1 FROM dhcpsnippet WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));

    /// <summary>Earlier values of the snippets, newest first.</summary>
    public static async Task<ILookup<long, DhcpSnippetVersion>> HistoryAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long[] snippetIds, CancellationToken ct) =>
        (await c.QueryAsync<(long SnippetId, long Id, string OptionsJson, DateTimeOffset Created)>(new CommandDefinition(
            "SELECT dhcpsnippet_id, id, options::text, created FROM dhcpsnippet_history WHERE dhcpsnippet_id = ANY(@snippetIds) ORDER BY id DESC",
            new { snippetIds },
            tx,
            cancellationToken: ct)))
        .ToLookup(r => r.SnippetId, r => new DhcpSnippetVersion(r.Id, r.OptionsJson, r.Created));

    public static async Task<DhcpSnippetRecord> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, DhcpSnippetValues values, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO dhcpsnippet (name, description, options, enabled, node_id, subnet_id, iprange_id)
            VALUES (@Name, @Description, @OptionsJson::jsonb, @Enabled, @NodeId, @SubnetId, @IpRangeId)
            RETURNING id
            """,
            values,
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    /// <summary>Writes the snippet; when the options change, the old ones go to its history first.</summary>
    public static async Task<DhcpSnippetRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, DhcpSnippetValues values, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dhcpsnippet_history (dhcpsnippet_id, options)
            SELECT id, options FROM dhcpsnippet WHERE id = @id AND options <> @optionsJson::jsonb
            """,
            new { id, optionsJson = values.OptionsJson },
            tx,
            cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE dhcpsnippet SET name = @Name, description = @Description, options = @OptionsJson::jsonb, enabled = @Enabled,
                node_id = @NodeId, subnet_id = @SubnetId, iprange_id = @IpRangeId, updated = now()
            WHERE id = @Id
            """,
            new { values.Name, values.Description, values.OptionsJson, values.Enabled, values.NodeId, values.SubnetId, values.IpRangeId, Id = id },
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    /// <summary>Makes an earlier version current again; it and every later version leave the history.</summary>
    public static async Task<DhcpSnippetRecord> RevertAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, DhcpSnippetVersion version, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE dhcpsnippet SET options = @optionsJson::jsonb, updated = now() WHERE id = @id",
            new { id, optionsJson = version.OptionsJson },
            tx,
            cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM dhcpsnippet_history WHERE dhcpsnippet_id = @id AND id >= @versionId", new { id, versionId = version.Id }, tx, cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM dhcpsnippet WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>A node's id by system_id, for a snippet's scope.</summary>
    public static Task<long?> FindNodeAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string systemId, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT id FROM node WHERE system_id = @systemId", new { systemId }, tx, cancellationToken: ct));
}

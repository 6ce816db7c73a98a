using System.Globalization;
using System.Net;
using Anvil.Domain.Config;
using Anvil.Domain.Dns;
using Npgsql;

namespace Anvil.Data.Dns;

/// <summary>
/// Reads everything the DNS planner needs in one round trip: a batch of six statements whose
/// result sets are read in order. Under READ COMMITTED each statement sees its own snapshot; the
/// planner tolerates rows that point at a domain the batch did not see, and a caller that wants
/// one snapshot runs this inside a REPEATABLE READ transaction.
/// </summary>
public static class DnsSnapshotQuery
{
    private const string DefaultTtlSetting = "default_dns_ttl";

    private const string DefaultTtlSql = $"SELECT value #>> '{{}}' FROM config WHERE name = '{DefaultTtlSetting}'";

    private const string DomainsSql = "SELECT id, name, authoritative, ttl, is_default, forward_dns_servers FROM domain ORDER BY id";

    private const string SubnetsSql = "SELECT id, cidr::text, rdns_mode FROM subnet ORDER BY id";

    // The boot interface is a node's first physical interface by id (as the machine JSON picks
    // boot_interface); bonds, bridges and VLANs built on it, at any depth, count as boot too. A
    // node's rows come in MAAS's order of preference for its hostname: the boot chain first, then
    // by interface kind (a bridge or bond on the boot NIC before the NIC itself), allocation type
    // (sticky, user-reserved, auto, DHCP, discovered), oldest interface, non-ULA before ULA.
    // Addresses held temporarily until the rack confirms them free are not published, as in MAAS.
    private const string NodeAddressesSql =
        """
        WITH RECURSIVE boot AS (
            SELECT DISTINCT ON (node_id) id
            FROM interface
            WHERE node_id IS NOT NULL AND type = 'physical'
            ORDER BY node_id, id
        ), chain (id, depth) AS (
            SELECT id, 0 FROM boot
            UNION
            SELECT r.child_id, c.depth + 1
            FROM chain c JOIN interface_relationship r ON r.parent_id = c.id
            WHERE c.depth < 8
        ), boot_chain AS (
            SELECT id, min(depth) AS depth FROM chain GROUP BY id
        )
        SELECT n.id, n.hostname, n.domain_id, n.address_ttl, i.name, bc.id IS NOT NULL, a.ip, a.alloc_type = 6
        FROM interface i
        JOIN node n ON n.id = i.node_id
        JOIN interface_ip l ON l.interface_id = i.id
        JOIN staticipaddress a ON a.id = l.staticipaddress_id
        LEFT JOIN boot_chain bc ON bc.id = i.id
        WHERE a.ip IS NOT NULL AND a.temp_expires_on IS NULL
        ORDER BY n.id,
                 bc.id IS NULL,
                 CASE
                     WHEN i.type = 'bridge' AND bc.depth >= 2 THEN 1
                     WHEN i.type = 'bridge' AND bc.depth = 1 THEN 2
                     WHEN i.type = 'bond' AND bc.depth >= 1 THEN 3
                     WHEN i.type = 'physical' AND bc.depth = 0 THEN 4
                     WHEN i.type = 'bond' THEN 5
                     WHEN i.type = 'physical' THEN 6
                     WHEN i.type = 'vlan' THEN 7
                     WHEN i.type = 'alias' THEN 8
                     WHEN i.type = 'unknown' THEN 9
                     ELSE 10
                 END,
                 CASE a.alloc_type WHEN 1 THEN 1 WHEN 4 THEN 2 WHEN 0 THEN 3 WHEN 5 THEN 4 WHEN 6 THEN 5 ELSE 6 END,
                 i.id,
                 inet 'fc00::/7' >> a.ip,
                 a.id
        """;

    private const string ResourceAddressesSql =
        """
        SELECT r.name, r.domain_id, r.address_ttl, a.ip
        FROM dnsresource r
        JOIN dnsresource_ip l ON l.dnsresource_id = r.id
        JOIN staticipaddress a ON a.id = l.staticipaddress_id
        WHERE a.ip IS NOT NULL
        ORDER BY r.id, a.id
        """;

    private const string ResourceDataSql =
        """
        SELECT r.name, r.domain_id, d.rrtype, d.rrdata, d.ttl
        FROM dnsdata d JOIN dnsresource r ON r.id = d.dnsresource_id
        ORDER BY d.id
        """;

    public static async Task<DnsSnapshot> ReadAsync(NpgsqlConnection c, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(c)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(DefaultTtlSql),
                new NpgsqlBatchCommand(DomainsSql),
                new NpgsqlBatchCommand(SubnetsSql),
                new NpgsqlBatchCommand(NodeAddressesSql),
                new NpgsqlBatchCommand(ResourceAddressesSql),
                new NpgsqlBatchCommand(ResourceDataSql),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var defaultTtl = CatalogDefaultTtl();
        if (await reader.ReadAsync(ct) && !reader.IsDBNull(0) && int.TryParse(reader.GetString(0), NumberStyles.Integer, CultureInfo.InvariantCulture, out var stored))
        {
            defaultTtl = stored;
        }

        await reader.NextResultAsync(ct);
        var domains = new List<DnsDomainRow>();
        while (await reader.ReadAsync(ct))
        {
            domains.Add(new DnsDomainRow(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetBoolean(2),
                NullableInt(reader, 3),
                reader.GetBoolean(4),
                reader.GetFieldValue<IPAddress[]>(5)));
        }

        await reader.NextResultAsync(ct);
        var subnets = new List<DnsSubnetRow>();
        while (await reader.ReadAsync(ct))
        {
            subnets.Add(new DnsSubnetRow(reader.GetInt64(0), IPNetwork.Parse(reader.GetString(1)), reader.GetInt32(2)));
        }

        await reader.NextResultAsync(ct);
        var nodeAddresses = new List<DnsNodeAddressRow>();
        while (await reader.ReadAsync(ct))
        {
            nodeAddresses.Add(new DnsNodeAddressRow(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                NullableInt(reader, 3),
                reader.GetString(4),
                reader.GetBoolean(5),
                reader.GetFieldValue<IPAddress>(6),
                reader.GetBoolean(7)));
        }

        await reader.NextResultAsync(ct);
        var resourceAddresses = new List<DnsResourceAddressRow>();
        while (await reader.ReadAsync(ct))
        {
            resourceAddresses.Add(new DnsResourceAddressRow(reader.GetString(0), reader.GetInt64(1), NullableInt(reader, 2), reader.GetFieldValue<IPAddress>(3)));
        }

        await reader.NextResultAsync(ct);
        var resourceData = new List<DnsResourceDataRow>();
        while (await reader.ReadAsync(ct))
        {
            resourceData.Add(new DnsResourceDataRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), NullableInt(reader, 4)));
        }

        return new DnsSnapshot(defaultTtl, domains, subnets, nodeAddresses, resourceAddresses, resourceData);
    }

    private static int CatalogDefaultTtl() => ConfigCatalog.Get(DefaultTtlSetting).Default?.GetValue<int>() ?? 30;

    private static int? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
}

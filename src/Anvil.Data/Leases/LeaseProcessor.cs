using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Dapper;
using Npgsql;

namespace Anvil.Data.Leases;

/// <summary>
/// Applies DHCP lease notifications (maas-api.md §11.1 rules 1–6) in one transaction per batch.
/// Batches are serialised by a transaction-scoped advisory lock: two racks reporting the same
/// MAC at once would otherwise both create its unknown interface, and leases of one client must
/// be applied in the order they happened. The subnets and ranges are read once per batch; each
/// event is then one round trip (two when its MAC is new).
/// </summary>
public static class LeaseProcessor
{
    /// <summary>"AnvilLea": held from the start of a batch to its commit.</summary>
    private const long BatchLock = 0x416E_7669_6C4C_6561;

    // Rule 4: the interfaces' other DISCOVERED addresses of the family go, and with them the
    // dynamic DNS names that only they held. An address without an IP has its subnet's family.
    private const string DeleteOthers =
        """
        WITH doomed AS (
            SELECT DISTINCT a.id FROM staticipaddress a
            JOIN interface_ip l ON l.staticipaddress_id = a.id
            LEFT JOIN subnet s ON s.id = a.subnet_id
            WHERE l.interface_id = ANY(@interfaces) AND a.alloc_type = 6
              AND family(coalesce(a.ip, s.cidr)) = @family AND a.ip IS DISTINCT FROM @keep::inet),
        names AS (SELECT DISTINCT dnsresource_id AS id FROM dnsresource_ip WHERE staticipaddress_id IN (SELECT id FROM doomed)),
        unlinked AS (DELETE FROM dnsresource_ip WHERE staticipaddress_id IN (SELECT id FROM doomed)),
        removed AS (DELETE FROM staticipaddress WHERE id IN (SELECT id FROM doomed))
        DELETE FROM dnsresource r WHERE r.id IN (SELECT id FROM names)
          AND NOT EXISTS (SELECT 1 FROM dnsresource_ip x WHERE x.dnsresource_id = r.id AND x.staticipaddress_id NOT IN (SELECT id FROM doomed))
          AND NOT EXISTS (SELECT 1 FROM dnsdata d WHERE d.dnsresource_id = r.id)
        """;

    // Rule 5: one DISCOVERED row per address; a lease that moved to another MAC moves the row.
    private const string UpsertDiscovered =
        """
        WITH addr AS (
            INSERT INTO staticipaddress (ip, alloc_type, subnet_id, lease_time, created, updated)
            VALUES (@ip::inet, 6, @subnet, @leaseTime, @at, @at)
            ON CONFLICT (ip) WHERE ip IS NOT NULL AND alloc_type = 6
            DO UPDATE SET subnet_id = EXCLUDED.subnet_id, lease_time = EXCLUDED.lease_time, created = EXCLUDED.created, updated = EXCLUDED.updated
            RETURNING id),
        unlinked AS (DELETE FROM interface_ip WHERE staticipaddress_id IN (SELECT id FROM addr) AND interface_id <> ALL(@interfaces))
        INSERT INTO interface_ip (interface_id, staticipaddress_id)
        SELECT i, addr.id FROM addr, unnest(@interfaces) AS i
        ON CONFLICT DO NOTHING
        """;

    // Rule 6: the link to the subnet stays, without an address.
    private const string InsertReleased =
        """
        WITH addr AS (
            INSERT INTO staticipaddress (ip, alloc_type, subnet_id, lease_time, created, updated)
            VALUES (NULL, 6, @subnet, 0, @at, @at)
            RETURNING id)
        INSERT INTO interface_ip (interface_id, staticipaddress_id)
        SELECT i, addr.id FROM addr, unnest(@interfaces) AS i
        """;

    // Rule 5, DNS: the name points at the address unless a node already answers to it.
    private const string LinkHostname =
        """
        WITH owner AS (SELECT 1 FROM node WHERE hostname = @hostname),
        res AS (
            INSERT INTO dnsresource (name, domain_id)
            SELECT @hostname, d.id FROM domain d WHERE d.is_default AND NOT EXISTS (SELECT 1 FROM owner)
            ON CONFLICT (name, domain_id) DO UPDATE SET updated = now()
            RETURNING id)
        INSERT INTO dnsresource_ip (dnsresource_id, staticipaddress_id)
        SELECT res.id, a.id FROM res, staticipaddress a WHERE a.ip = @ip::inet AND a.alloc_type = 6
        ON CONFLICT DO NOTHING
        """;

    public static Task<LeaseBatchResult> ApplyBatchAsync(Database db, IReadOnlyList<LeaseEvent> events, CancellationToken ct = default) =>
        db.InTransactionAsync((c, tx) => ApplyBatchAsync(c, tx, events, ct), ct);

    /// <summary>Applies the batch in the caller's transaction, in order; the caller commits.</summary>
    public static async Task<LeaseBatchResult> ApplyBatchAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<LeaseEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
            return new LeaseBatchResult(0, 0, []);
        await c.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = BatchLock }, tx, cancellationToken: ct));
        var subnets = await LoadSubnetsAsync(c, tx, ct);
        var interfaces = await LoadInterfacesAsync(c, tx, events, ct);
        int applied = 0, ignored = 0;
        var errors = new List<string>();
        foreach (var lease in events)
        {
            var decision = LeaseRules.Decide(lease, subnets);
            if (decision.Kind == LeaseDecisionKind.Error)
            {
                errors.Add($"{lease.Action} {lease.Mac} {lease.Ip}: {decision.Reason}");
                continue;
            }

            if (decision.Kind == LeaseDecisionKind.Ignore)
            {
                ignored++;
                continue;
            }

            var subnet = decision.Subnet!;
            var mac = LeaseRules.NormaliseMac(lease.Mac)!;
            if (!interfaces.TryGetValue(mac, out var ids))
            {
                if (lease.Action != LeaseAction.Commit)
                {
                    ignored++;
                    continue;
                }

                ids = [await CreateUnknownInterfaceAsync(c, tx, mac, subnet.VlanId, ct)];
                interfaces[mac] = ids;
            }

            await ApplyAsync(c, tx, lease, subnet, ids, ct);
            applied++;
        }

        return new LeaseBatchResult(applied, ignored, errors);
    }

    private static async Task ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, LeaseEvent lease, LeaseSubnet subnet, long[] interfaces, CancellationToken ct)
    {
        var commit = lease.Action == LeaseAction.Commit;
        await using var batch = new NpgsqlBatch(c, tx);
        var delete = new NpgsqlBatchCommand(DeleteOthers);
        delete.Parameters.AddWithValue("interfaces", interfaces);
        delete.Parameters.AddWithValue("family", (int)lease.Family);
        delete.Parameters.AddWithValue("keep", commit ? lease.Ip : DBNull.Value);
        batch.BatchCommands.Add(delete);
        var write = new NpgsqlBatchCommand(commit ? UpsertDiscovered : InsertReleased);
        write.Parameters.AddWithValue("interfaces", interfaces);
        write.Parameters.AddWithValue("subnet", subnet.Id);
        write.Parameters.AddWithValue("at", lease.Timestamp.ToUniversalTime());
        if (commit)
        {
            write.Parameters.AddWithValue("ip", lease.Ip);
            write.Parameters.AddWithValue("leaseTime", lease.LeaseTime);
        }

        batch.BatchCommands.Add(write);
        if (commit && LeaseRules.DynamicHostname(lease.Hostname) is { } hostname)
        {
            var link = new NpgsqlBatchCommand(LinkHostname);
            link.Parameters.AddWithValue("hostname", hostname);
            link.Parameters.AddWithValue("ip", lease.Ip);
            batch.BatchCommands.Add(link);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<LeaseSubnet>> LoadSubnetsAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long Id, long VlanId, string Cidr)>(new CommandDefinition(
            "SELECT id, vlan_id, cidr::text FROM subnet", transaction: tx, cancellationToken: ct));
        var ranges = (await c.QueryAsync<(long SubnetId, string Start, string End)>(new CommandDefinition(
                "SELECT subnet_id, host(start_ip), host(end_ip) FROM iprange WHERE type = 'dynamic'", transaction: tx, cancellationToken: ct)))
            .ToLookup(r => r.SubnetId, r => new IpRange(IpAddress.Parse(r.Start), IpAddress.Parse(r.End)));
        return [.. rows.Select(s => new LeaseSubnet(s.Id, s.VlanId, IpNetwork.Parse(s.Cidr), [.. ranges[s.Id]]))];
    }

    /// <summary>Every interface (of any node, or none) carrying one of the batch's MACs, by MAC.</summary>
    private static async Task<Dictionary<string, long[]>> LoadInterfacesAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<LeaseEvent> events, CancellationToken ct)
    {
        var macs = events.Select(e => LeaseRules.NormaliseMac(e.Mac)).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var rows = await c.QueryAsync<(string Mac, long Id)>(new CommandDefinition(
            "SELECT i.mac_address::text, i.id FROM interface i WHERE i.mac_address = ANY(@macs::macaddr[]) ORDER BY i.id",
            new { macs },
            tx,
            cancellationToken: ct));
        return rows.GroupBy(r => r.Mac, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Id).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Rule 3: a MAC no node has becomes an <c>unknown</c> interface <c>eth0</c> on the subnet's VLAN.</summary>
    private static Task<long> CreateUnknownInterfaceAsync(NpgsqlConnection c, NpgsqlTransaction tx, string mac, long vlanId, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO interface (node_id, name, type, mac_address, vlan_id) VALUES (NULL, 'eth0', 'unknown', @mac::macaddr, @vlanId) RETURNING id",
            new { mac, vlanId },
            tx,
            cancellationToken: ct));
}

using Npgsql;

namespace Anvil.Data.Leases;

/// <summary>
/// The set-based statements that apply one <see cref="LeasePlan"/> (maas-api.md §11.1 rules 3–6).
/// Each takes the round's events as parallel arrays and finds interfaces by MAC, so the whole plan
/// goes to PostgreSQL as one batch. Within a round no two events share a MAC or an address; all
/// deletions (rule 4) run before the round's writes, except that an address committed by an
/// earlier event of the round is not deleted by a later one: applied one by one, the earlier
/// commit would already have moved it away from the later event's interfaces.
/// </summary>
internal static class LeaseStatements
{
    private const string CreateUnknownInterfaces =
        """
        INSERT INTO interface (node_id, name, type, mac_address, vlan_id)
        SELECT NULL, 'eth0', 'unknown', e.mac, e.vlan FROM unnest(@mac::macaddr[], @vlan::bigint[]) AS e(mac, vlan)
        """;

    // Rule 4: the interfaces' other DISCOVERED addresses of the family go, and with them the
    // dynamic DNS names that only they held. An address without an IP has its subnet's family;
    // expiry and release (keep NULL) leave the rows that already have no IP.
    private const string DeleteOthers =
        """
        WITH ev AS (SELECT * FROM unnest(@ord::int[], @mac::macaddr[], @family::int[], @keep::inet[]) AS e(ord, mac, family, keep)),
        doomed AS (
            SELECT DISTINCT a.id, a.ip FROM ev
            JOIN interface i ON i.mac_address = ev.mac
            JOIN interface_ip l ON l.interface_id = i.id
            JOIN staticipaddress a ON a.id = l.staticipaddress_id
            LEFT JOIN subnet s ON s.id = a.subnet_id
            WHERE a.alloc_type = 6 AND family(coalesce(a.ip, s.cidr)) = ev.family AND a.ip IS DISTINCT FROM ev.keep
              AND NOT EXISTS (SELECT 1 FROM ev won WHERE won.keep = a.ip AND won.ord < ev.ord)),
        names AS (SELECT DISTINCT dnsresource_id AS id FROM dnsresource_ip WHERE staticipaddress_id IN (SELECT id FROM doomed)),
        unlinked AS (DELETE FROM dnsresource_ip WHERE staticipaddress_id IN (SELECT id FROM doomed)),
        removed AS (DELETE FROM staticipaddress WHERE id IN (SELECT id FROM doomed))
        DELETE FROM dnsresource r WHERE r.id IN (SELECT id FROM names)
          AND NOT EXISTS (SELECT 1 FROM dnsresource_ip x WHERE x.dnsresource_id = r.id AND x.staticipaddress_id NOT IN (SELECT id FROM doomed))
          AND NOT EXISTS (SELECT 1 FROM dnsdata d WHERE d.dnsresource_id = r.id)
        """;

    // Rule 5: one DISCOVERED row per address; a lease that moved to another MAC moves the row.
    private const string UpsertCommitted =
        """
        WITH ev AS (
            SELECT * FROM unnest(@mac::macaddr[], @ip::inet[], @subnet::bigint[], @leaseTime::int[], @at::timestamptz[])
                AS e(mac, ip, subnet, lease_time, at)),
        addr AS (
            INSERT INTO staticipaddress (ip, alloc_type, subnet_id, lease_time, created, updated)
            SELECT ip, 6, subnet, lease_time, at, at FROM ev
            ON CONFLICT (ip) WHERE ip IS NOT NULL AND alloc_type = 6
            DO UPDATE SET subnet_id = EXCLUDED.subnet_id, lease_time = EXCLUDED.lease_time, created = EXCLUDED.created, updated = EXCLUDED.updated
            RETURNING id, ip),
        wanted AS (
            SELECT addr.id AS address_id, i.id AS interface_id
            FROM addr JOIN ev ON ev.ip = addr.ip JOIN interface i ON i.mac_address = ev.mac),
        unlinked AS (
            DELETE FROM interface_ip l USING addr WHERE l.staticipaddress_id = addr.id
              AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.address_id = l.staticipaddress_id AND w.interface_id = l.interface_id))
        INSERT INTO interface_ip (interface_id, staticipaddress_id)
        SELECT interface_id, address_id FROM wanted
        ON CONFLICT DO NOTHING
        """;

    // Rule 6: the link to the subnet stays, without an address. The ids are drawn first so that
    // each new row is linked to its own event's interfaces.
    private const string InsertReleased =
        """
        WITH ev AS (
            SELECT nextval(pg_get_serial_sequence('staticipaddress', 'id')) AS id, e.mac, e.subnet, e.at
            FROM unnest(@mac::macaddr[], @subnet::bigint[], @at::timestamptz[]) AS e(mac, subnet, at)),
        addr AS (
            INSERT INTO staticipaddress (id, ip, alloc_type, subnet_id, lease_time, created, updated)
            SELECT id, NULL, 6, subnet, 0, at, at FROM ev)
        INSERT INTO interface_ip (interface_id, staticipaddress_id)
        SELECT i.id, ev.id FROM ev JOIN interface i ON i.mac_address = ev.mac
        """;

    // Rule 5, DNS: the name points at the address unless a node already answers to it. The DNS
    // publisher learns of the change from the tables' triggers (0004_dns.sql).
    private const string LinkHostnames =
        """
        WITH ev AS (SELECT * FROM unnest(@hostname::text[], @ip::inet[]) AS e(hostname, ip)),
        res AS (
            INSERT INTO dnsresource (name, domain_id)
            SELECT DISTINCT ev.hostname, d.id FROM ev, domain d
            WHERE d.is_default AND NOT EXISTS (SELECT 1 FROM node n WHERE n.hostname = ev.hostname)
            ON CONFLICT (name, domain_id) DO UPDATE SET updated = now()
            RETURNING id, name)
        INSERT INTO dnsresource_ip (dnsresource_id, staticipaddress_id)
        SELECT res.id, a.id FROM ev JOIN res ON res.name = ev.hostname
        JOIN staticipaddress a ON a.ip = ev.ip AND a.alloc_type = 6
        ON CONFLICT DO NOTHING
        """;

    /// <summary>The plan as one batch: the unknown interfaces, then each round's statements in order.</summary>
    public static void AddTo(NpgsqlBatch batch, LeasePlan plan)
    {
        if (plan.NewInterfaces.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                CreateUnknownInterfaces,
                Values("mac", plan.NewInterfaces.Select(n => n.Mac)),
                Values("vlan", plan.NewInterfaces.Select(n => n.VlanId))));
        }

        foreach (var round in plan.Rounds)
            AddRound(batch, round);
    }

    private static void AddRound(NpgsqlBatch batch, IReadOnlyList<PlannedLease> round)
    {
        batch.BatchCommands.Add(Command(
            DeleteOthers,
            Values("ord", round.Select(e => e.Order)),
            Values("mac", round.Select(e => e.Mac)),
            Values("family", round.Select(e => (int)e.Lease.Family)),
            Values("keep", round.Select(e => e.IsCommit ? e.Ip.ToString() : null))));

        var commits = round.Where(e => e.IsCommit).ToList();
        if (commits.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                UpsertCommitted,
                Values("mac", commits.Select(e => e.Mac)),
                Values("ip", commits.Select(e => e.Ip.ToString())),
                Values("subnet", commits.Select(e => e.Subnet.Id)),
                Values("leaseTime", commits.Select(e => e.Lease.LeaseTime)),
                Values("at", commits.Select(e => e.Lease.Timestamp.UtcDateTime))));
        }

        var releases = round.Where(e => !e.IsCommit).ToList();
        if (releases.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                InsertReleased,
                Values("mac", releases.Select(e => e.Mac)),
                Values("subnet", releases.Select(e => e.Subnet.Id)),
                Values("at", releases.Select(e => e.Lease.Timestamp.UtcDateTime))));
        }

        var named = commits.Where(e => e.Hostname is not null).ToList();
        if (named.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                LinkHostnames,
                Values("hostname", named.Select(e => e.Hostname!)),
                Values("ip", named.Select(e => e.Ip.ToString()))));
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T[]> Values<T>(string name, IEnumerable<T> values) => new(name, [.. values]);
}

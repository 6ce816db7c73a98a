using Dapper;
using Npgsql;

namespace Anvil.Data.Racks;

/// <summary>
/// What one rack's DHCP server needs, read in one snapshot: the IPv4 subnets of the VLANs with DHCP
/// on that it serves (as primary, or as secondary once the primary has not been heard from since
/// <c>primaryDeadBefore</c>), the subnets of VLANs relayed to those, its own addresses there, the
/// dynamic ranges, the fixed addresses of nodes on those subnets, and the enabled DHCP snippets.
/// </summary>
public static class RackDhcpQueries
{
    public static async Task<RackDhcpSnapshot> ReadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string systemId, DateTimeOffset primaryDeadBefore, CancellationToken ct)
    {
        var rackId = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM node WHERE system_id = @systemId AND node_type IN (2, 4)", new { systemId }, tx, cancellationToken: ct))
            ?? throw new Domain.Errors.NotFoundException($"No rack controller with system_id {systemId}.");
        var args = new { rackId, primaryDeadBefore };
        var vlans = (await c.QueryAsync<ServedVlan>(new CommandDefinition(
            """
            WITH direct AS (
                SELECT v.id, v.mtu FROM vlan v LEFT JOIN node p ON p.id = v.primary_rack_id
                WHERE v.dhcp_on AND (v.primary_rack_id = @rackId
                      OR (v.secondary_rack_id = @rackId AND (p.last_seen IS NULL OR p.last_seen < @primaryDeadBefore))))
            SELECT id AS VlanId, mtu AS Mtu, NULL::bigint AS RelayedThrough FROM direct
            UNION ALL
            SELECT v.id, v.mtu, v.relay_vlan_id FROM vlan v WHERE v.relay_vlan_id IN (SELECT id FROM direct) AND v.id NOT IN (SELECT id FROM direct)
            """,
            args,
            tx,
            cancellationToken: ct))).ToList();
        var vlanIds = vlans.Select(v => v.VlanId).Concat(vlans.Where(v => v.RelayedThrough is not null).Select(v => v.RelayedThrough!.Value)).Distinct().ToArray();
        var subnets = (await c.QueryAsync<ServedSubnet>(new CommandDefinition(
            """
            SELECT s.id AS SubnetId, s.vlan_id AS VlanId, s.cidr::text AS Cidr, host(s.gateway_ip) AS Gateway,
                   array(SELECT host(x) FROM unnest(s.dns_servers) x) AS DnsServers, s.disabled_boot_architectures AS DisabledBootArchitectures
            FROM subnet s WHERE s.vlan_id = ANY(@vlanIds) AND family(s.cidr) = 4 ORDER BY s.cidr
            """,
            new { vlanIds },
            tx,
            cancellationToken: ct))).ToList();
        var subnetIds = subnets.Select(s => s.SubnetId).ToArray();
        var addresses = (await c.QueryAsync<RackAddress>(new CommandDefinition(
            """
            SELECT i.name AS Interface, i.vlan_id AS VlanId, host(a.ip) AS Ip, a.subnet_id AS SubnetId
            FROM interface i JOIN interface_ip l ON l.interface_id = i.id JOIN staticipaddress a ON a.id = l.staticipaddress_id
            WHERE i.node_id = @rackId AND i.enabled AND a.ip IS NOT NULL AND family(a.ip) = 4 ORDER BY i.name, a.ip
            """,
            new { rackId },
            tx,
            cancellationToken: ct))).ToList();
        var ranges = (await c.QueryAsync<(long SubnetId, string Start, string End)>(new CommandDefinition(
            "SELECT subnet_id, host(start_ip), host(end_ip) FROM iprange WHERE type = 'dynamic' AND subnet_id = ANY(@subnetIds) ORDER BY start_ip",
            new { subnetIds },
            tx,
            cancellationToken: ct))).ToList();
        var hosts = (await c.QueryAsync<FixedHost>(new CommandDefinition(
            """
            SELECT DISTINCT ON (i.mac_address, a.subnet_id) i.mac_address::text AS Mac, host(a.ip) AS Ip, n.hostname AS Hostname, n.id AS NodeId
            FROM staticipaddress a JOIN interface_ip l ON l.staticipaddress_id = a.id JOIN interface i ON i.id = l.interface_id
            JOIN node n ON n.id = i.node_id
            WHERE a.subnet_id = ANY(@subnetIds) AND a.alloc_type IN (0, 1, 4) AND a.ip IS NOT NULL AND i.mac_address IS NOT NULL AND n.id <> @rackId
            ORDER BY i.mac_address, a.subnet_id, a.id
            """,
            new { subnetIds, rackId },
            tx,
            cancellationToken: ct))).ToList();
        var snippets = (await c.QueryAsync<SnippetRow>(new CommandDefinition(
            "SELECT options::text AS Options, node_id AS NodeId, subnet_id AS SubnetId FROM dhcpsnippet WHERE enabled ORDER BY id",
            transaction: tx,
            cancellationToken: ct))).ToList();
        var domain = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT name FROM domain WHERE is_default", transaction: tx, cancellationToken: ct));
        return new RackDhcpSnapshot(rackId, vlans, subnets, addresses, ranges, hosts, snippets, domain ?? "maas");
    }
}

public sealed record RackDhcpSnapshot(
    long RackId,
    IReadOnlyList<ServedVlan> Vlans,
    IReadOnlyList<ServedSubnet> Subnets,
    IReadOnlyList<RackAddress> RackAddresses,
    IReadOnlyList<(long SubnetId, string Start, string End)> DynamicRanges,
    IReadOnlyList<FixedHost> Hosts,
    IReadOnlyList<SnippetRow> Snippets,
    string DomainName);

/// <summary>A VLAN whose subnets the rack serves; <see cref="RelayedThrough"/> is the served VLAN its relay forwards to.</summary>
public sealed record ServedVlan(long VlanId, int Mtu, long? RelayedThrough);

/// <summary>A subnet of a served VLAN (a class: Dapper fills array columns only through setters).</summary>
public sealed class ServedSubnet
{
    public long SubnetId { get; init; }

    public long VlanId { get; init; }

    public string Cidr { get; init; } = "";

    public string? Gateway { get; init; }

    public string[] DnsServers { get; init; } = [];

    public string[] DisabledBootArchitectures { get; init; } = [];
}

public sealed record RackAddress(string Interface, long? VlanId, string Ip, long? SubnetId);

public sealed record FixedHost(string Mac, string Ip, string Hostname, long NodeId);

public sealed record SnippetRow(string Options, long? NodeId, long? SubnetId);

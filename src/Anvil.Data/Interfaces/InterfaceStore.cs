using Dapper;
using Npgsql;

namespace Anvil.Data.Interfaces;

/// <summary>Interfaces of nodes, their hierarchy and their links; every method runs in the caller's transaction.</summary>
public static class InterfaceStore
{
    private const string Select =
        """
        SELECT id, node_id, name, type, mac_address::text AS mac_address, enabled, tags, params::text AS params, mtu, vlan_id, accept_ra,
               link_connected, interface_speed, link_speed, default_gateway_v4_ip_id, default_gateway_v6_ip_id
        FROM interface
        """;

    public static async Task<IReadOnlyList<InterfaceRecord>> ListOfNodeAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, CancellationToken ct) =>
        (await c.QueryAsync<InterfaceRecord>(new CommandDefinition($"{Select} WHERE node_id = @nodeId ORDER BY id", new { nodeId }, tx, cancellationToken: ct))).AsList();

    public static Task<InterfaceRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<InterfaceRecord?>(new CommandDefinition($"{Select} WHERE node_id = @nodeId AND id = @id", new { nodeId, id }, tx, cancellationToken: ct));

    public static async Task<bool> MacInUseAsync(NpgsqlConnection c, NpgsqlTransaction tx, string mac, long? exceptId, CancellationToken ct) =>
        await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM interface WHERE mac_address = @mac::macaddr AND type = 'physical' AND id IS DISTINCT FROM @exceptId)",
            new { mac, exceptId },
            tx,
            cancellationToken: ct));

    public static async Task<long> InsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, InterfaceRecord nic, IReadOnlyList<long> parentIds, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO interface (node_id, name, type, mac_address, enabled, tags, params, mtu, vlan_id, accept_ra, link_connected, interface_speed, link_speed)
            VALUES (@NodeId, @Name, @Type, @MacAddress::macaddr, @Enabled, @Tags, @Params::jsonb, @Mtu, @VlanId, @AcceptRa, @LinkConnected, @InterfaceSpeed, @LinkSpeed)
            RETURNING id
            """,
            nic,
            tx,
            cancellationToken: ct));
        nic.Id = id;
        await SetParentsAsync(c, tx, id, parentIds, ct);
        return id;
    }

    public static Task SaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, InterfaceRecord nic, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE interface SET name = @Name, mac_address = @MacAddress::macaddr, enabled = @Enabled, tags = @Tags, params = @Params::jsonb,
                   mtu = @Mtu, vlan_id = @VlanId, accept_ra = @AcceptRa, link_connected = @LinkConnected, interface_speed = @InterfaceSpeed,
                   link_speed = @LinkSpeed, default_gateway_v4_ip_id = @DefaultGatewayV4IpId, default_gateway_v6_ip_id = @DefaultGatewayV6IpId,
                   updated = now()
            WHERE id = @Id
            """,
            nic,
            tx,
            cancellationToken: ct));

    public static async Task SetParentsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long childId, IReadOnlyList<long> parentIds, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM interface_relationship WHERE child_id = @childId;
            INSERT INTO interface_relationship (parent_id, child_id) SELECT p, @childId FROM unnest(@parentIds) AS p;
            """,
            new { childId, parentIds = parentIds.ToArray() },
            tx,
            cancellationToken: ct));
    }

    /// <summary>(parent id, child id, child type) for every relationship among the node's interfaces.</summary>
    public static async Task<IReadOnlyList<(long ParentId, long ChildId)>> RelationshipsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, CancellationToken ct) =>
        (await c.QueryAsync<(long, long)>(new CommandDefinition(
            "SELECT r.parent_id, r.child_id FROM interface_relationship r JOIN interface i ON i.id = r.child_id WHERE i.node_id = @nodeId",
            new { nodeId },
            tx,
            cancellationToken: ct))).AsList();

    /// <summary>The links (not observed leases) of the node's interfaces, with their subnets' CIDR and gateway.</summary>
    public static async Task<IReadOnlyList<InterfaceLinkRecord>> LinksOfNodeAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, CancellationToken ct) =>
        (await c.QueryAsync<InterfaceLinkRecord>(new CommandDefinition(
            """
            SELECT a.id, l.interface_id, a.alloc_type, host(a.ip) AS ip, a.subnet_id, s.cidr::text AS subnet_cidr, host(s.gateway_ip) AS gateway_ip
            FROM interface_ip l JOIN staticipaddress a ON a.id = l.staticipaddress_id JOIN interface i ON i.id = l.interface_id
            LEFT JOIN subnet s ON s.id = a.subnet_id
            WHERE i.node_id = @nodeId AND a.alloc_type <> 6
            ORDER BY a.id
            """,
            new { nodeId },
            tx,
            cancellationToken: ct))).AsList();

    /// <summary>Adds a link with no address yet (AUTO before deployment, DHCP, LINK_UP).</summary>
    public static async Task<long> AddEmptyLinkAsync(NpgsqlConnection c, NpgsqlTransaction tx, long interfaceId, int allocType, long? subnetId, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO staticipaddress (ip, alloc_type, subnet_id) VALUES (NULL, @allocType, @subnetId) RETURNING id",
            new { allocType, subnetId },
            tx,
            cancellationToken: ct));
        await AttachAsync(c, tx, interfaceId, id, ct);
        return id;
    }

    public static Task AttachAsync(NpgsqlConnection c, NpgsqlTransaction tx, long interfaceId, long addressId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO interface_ip (interface_id, staticipaddress_id) VALUES (@interfaceId, @addressId)",
            new { interfaceId, addressId },
            tx,
            cancellationToken: ct));

    /// <summary>Deletes links (their address rows); a default gateway that pointed at one is cleared.</summary>
    public static Task RemoveLinksAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyCollection<long> linkIds, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE interface SET default_gateway_v4_ip_id = NULL WHERE default_gateway_v4_ip_id = ANY(@ids);
            UPDATE interface SET default_gateway_v6_ip_id = NULL WHERE default_gateway_v6_ip_id = ANY(@ids);
            DELETE FROM staticipaddress WHERE id = ANY(@ids);
            """,
            new { ids = linkIds.ToArray() },
            tx,
            cancellationToken: ct));

    /// <summary>Makes the link the node's default gateway of its family (clearing the node's previous one).</summary>
    public static Task SetDefaultGatewayAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, long interfaceId, long linkId, bool ipv6, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            ipv6
                ? "UPDATE interface SET default_gateway_v6_ip_id = CASE WHEN id = @interfaceId THEN @linkId END WHERE node_id = @nodeId"
                : "UPDATE interface SET default_gateway_v4_ip_id = CASE WHEN id = @interfaceId THEN @linkId END WHERE node_id = @nodeId",
            new { nodeId, interfaceId, linkId },
            tx,
            cancellationToken: ct));

    /// <summary>Deletes interfaces with their links (address rows included).</summary>
    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM staticipaddress a USING interface_ip l WHERE l.staticipaddress_id = a.id AND l.interface_id = ANY(@ids) AND a.alloc_type <> 6;
            DELETE FROM interface WHERE id = ANY(@ids);
            """,
            new { ids = ids.ToArray() },
            tx,
            cancellationToken: ct));
}

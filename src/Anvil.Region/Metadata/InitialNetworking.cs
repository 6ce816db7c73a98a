using Anvil.Data.Interfaces;
using Anvil.Domain.Ipam;
using Dapper;
using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// What commissioning leaves a machine's network as, as MAAS's initial networking configuration
/// does: the interface the machine booted through (the one its DHCP lease is on) gets an AUTO link
/// to the subnet it booted on, so a deployment gives it a static address there. An interface the
/// operator (or an earlier commissioning) already configured is left as it is.
/// </summary>
internal static class InitialNetworking
{
    public static async Task ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, CancellationToken ct)
    {
        var boot = await c.QueryFirstOrDefaultAsync<(long InterfaceId, long SubnetId, long VlanId)?>(new CommandDefinition(
            """
            SELECT i.id, s.id, s.vlan_id
            FROM interface i
            JOIN interface_ip l ON l.interface_id = i.id
            JOIN staticipaddress a ON a.id = l.staticipaddress_id AND a.alloc_type = @discovered
            JOIN subnet s ON s.id = a.subnet_id
            WHERE i.node_id = @nodeId AND i.type = 'physical' AND family(a.ip) = 4
            ORDER BY a.updated DESC
            LIMIT 1
            """,
            new { nodeId, discovered = (int)IpAddressType.DISCOVERED },
            tx,
            cancellationToken: ct));
        if (boot is not { } found)
            return;
        var configured = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM interface_ip l JOIN staticipaddress a ON a.id = l.staticipaddress_id
                           WHERE l.interface_id = @id AND a.alloc_type <> @discovered)
            """,
            new { id = found.InterfaceId, discovered = (int)IpAddressType.DISCOVERED },
            tx,
            cancellationToken: ct));
        if (configured)
            return;
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE interface SET vlan_id = @vlan, updated = now() WHERE id = @id", new { id = found.InterfaceId, vlan = found.VlanId }, tx, cancellationToken: ct));
        await InterfaceStore.AddEmptyLinkAsync(c, tx, found.InterfaceId, (int)IpAddressType.AUTO, found.SubnetId, ct);
    }
}

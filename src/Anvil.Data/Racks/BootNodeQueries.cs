using Dapper;
using Npgsql;

namespace Anvil.Data.Racks;

/// <summary>Finds the node a booting client is, by the MAC it boots from or its hardware UUID.</summary>
public static class BootNodeQueries
{
    public static Task<BootNode?> FindAsync(NpgsqlConnection c, string? mac, string? hardwareUuid, CancellationToken ct) =>
        c.QueryFirstOrDefaultAsync<BootNode>(new CommandDefinition(
            """
            SELECT n.system_id AS SystemId, n.hostname AS Hostname, d.name AS Domain, n.node_type AS NodeType, n.status AS Status,
                   n.ephemeral_deploy AS EphemeralDeploy, n.netboot AS Netboot, n.architecture AS Architecture,
                   n.osystem AS Osystem, n.distro_series AS DistroSeries
            FROM node n JOIN domain d ON d.id = n.domain_id
            WHERE (@mac::macaddr IS NOT NULL AND n.id IN (SELECT node_id FROM interface WHERE mac_address = @mac::macaddr AND node_id IS NOT NULL))
               OR (@hardwareUuid::text IS NOT NULL AND n.hardware_uuid = @hardwareUuid)
            ORDER BY n.node_type, n.id
            LIMIT 1
            """,
            new { mac, hardwareUuid },
            cancellationToken: ct));
}

public sealed record BootNode(
    string SystemId, string Hostname, string Domain, int NodeType, int Status, bool EphemeralDeploy, bool Netboot, string Architecture, string Osystem, string DistroSeries);

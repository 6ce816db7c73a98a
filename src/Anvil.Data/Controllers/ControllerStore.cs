using Anvil.Data.Machines;
using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Controllers;

/// <summary>
/// Controllers are rows of <c>node</c> with node_type 2, 3 or 4 (maas-api.md §3.7): read with the
/// shared node views, plus their version, when a region last heard from them and their services.
/// </summary>
public sealed class ControllerStore(Database db)
{
    public Task<IReadOnlyList<ControllerView>> ListAsync(ControllerRole role, IReadOnlyList<string>? systemIds, CancellationToken ct) =>
        db.ReadAsync(c => ListAsync(c, null, role, systemIds, ct), ct);

    public async Task<ControllerView?> GetAsync(ControllerRole role, string systemId, CancellationToken ct) =>
        (await ListAsync(role, [systemId], ct)).SingleOrDefault();

    /// <summary>The controllers holding <paramref name="role"/>, ordered by id, optionally only those system_ids.</summary>
    public static async Task<IReadOnlyList<ControllerView>> ListAsync(
        NpgsqlConnection c, NpgsqlTransaction? tx, ControllerRole role, IReadOnlyList<string>? systemIds, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<(long Id, string SystemId, string Version, DateTime? LastSeen)>(new CommandDefinition(
            """
            SELECT id, system_id, controller_version, last_seen FROM node
            WHERE node_type = ANY(@nodeTypes) AND (@systemIds::text[] IS NULL OR system_id = ANY(@systemIds))
            ORDER BY id
            """,
            new { nodeTypes = ControllerRoles.NodeTypes(role), systemIds = systemIds?.ToArray() },
            tx,
            cancellationToken: ct))).AsList();
        if (rows.Count == 0)
            return [];
        var nodes = (await MachineStore.ListAsync(c, tx, new MachineQuery { NodeType = null, SystemIds = [.. rows.Select(r => r.SystemId)] }, ct))
            .ToDictionary(n => n.Id);
        var services = await ServiceStore.ListAsync(c, tx, [.. rows.Select(r => r.Id)], ct);

        // A controller deleted between the two reads is left out.
        return [.. rows.Where(r => nodes.ContainsKey(r.Id)).Select(r => new ControllerView(
            nodes[r.Id],
            r.Version,
            r.LastSeen is { } seen ? new DateTimeOffset(DateTime.SpecifyKind(seen, DateTimeKind.Utc)) : null,
            [.. services[r.Id]]))];
    }

    /// <summary>A region heard from the controller at <paramref name="at"/>; an older report never moves last_seen back. False when no controller has the id.</summary>
    public async Task<bool> TouchAsync(long nodeId, DateTimeOffset at, CancellationToken ct = default) =>
        await db.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                "UPDATE node SET last_seen = GREATEST(last_seen, @at) WHERE id = @nodeId AND node_type IN (2, 3, 4)",
                new { nodeId, at = at.UtcDateTime },
                tx,
                cancellationToken: ct)),
            ct) == 1;

    /// <summary>
    /// Takes <paramref name="role"/> away from a controller whose row the caller has locked. A
    /// region+rack controller keeps its other role (node_type 3 or 2); any other controller is
    /// deleted. Losing the rack role: a VLAN it is the secondary of loses its secondary; a VLAN it
    /// is the primary of gets its secondary as primary; a DHCP-enabled VLAN with no secondary
    /// refuses the deletion unless <paramref name="force"/>, which turns DHCP off there.
    /// </summary>
    public static async Task RemoveRoleAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, string hostname, int nodeType, ControllerRole role, bool force, CancellationToken ct)
    {
        if (role == ControllerRole.Rack)
        {
            var stranded = (await c.QueryAsync<string>(new CommandDefinition(
                """
                SELECT f.name || '.' || CASE WHEN v.vid = 0 THEN 'untagged' ELSE coalesce(v.name, v.vid::text) END
                FROM vlan v JOIN fabric f ON f.id = v.fabric_id
                WHERE v.primary_rack_id = @nodeId AND v.dhcp_on AND v.secondary_rack_id IS NULL
                ORDER BY v.id
                FOR UPDATE OF v
                """,
                new { nodeId },
                tx,
                cancellationToken: ct))).AsList();
            if (stranded.Count > 0 && !force)
            {
                throw new BadRequestException(
                    $"Unable to delete '{hostname}'; it is currently set as a primary rack controller on VLANs {string.Join(", ", stranded)} " +
                    "and no other rack controller can provide DHCP. Use force to delete it anyway; DHCP will be disabled on those VLANs.");
            }

            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE vlan SET dhcp_on = false, updated = now() WHERE primary_rack_id = @nodeId AND dhcp_on AND secondary_rack_id IS NULL;
                UPDATE vlan SET primary_rack_id = secondary_rack_id, secondary_rack_id = NULL, updated = now() WHERE primary_rack_id = @nodeId;
                UPDATE vlan SET secondary_rack_id = NULL, updated = now() WHERE secondary_rack_id = @nodeId;
                """,
                new { nodeId },
                tx,
                cancellationToken: ct));
        }

        if (nodeType == ControllerRoles.RegionAndRackController)
        {
            var remaining = role == ControllerRole.Rack ? ControllerRoles.RegionController : ControllerRoles.RackController;
            await MachineWrites.UpdateColumnsAsync(c, tx, nodeId, new Dictionary<string, object?> { ["node_type"] = remaining }, ct);
        }
        else
        {
            await MachineWrites.DeleteAsync(c, tx, nodeId, ct);
        }
    }
}

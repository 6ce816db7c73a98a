using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Network;

/// <summary>What a VLAN update sets; nulls in the ids mean "none".</summary>
public sealed record VlanChanges(
    int Vid,
    string? Name,
    string Description,
    int Mtu,
    bool DhcpOn,
    long? SpaceId,
    long? PrimaryRackId,
    long? SecondaryRackId,
    long? RelayVlanId);

/// <summary>
/// VLANs. A fabric's default VLAN is its oldest (the untagged one created with the fabric); it
/// cannot be deleted. Deleting another VLAN is refused while subnets are on it; its interfaces
/// move to the fabric's default VLAN (VLAN interfaces on it are removed), as in MAAS.
/// </summary>
public static class VlanStore
{
    private const string Select =
        """
        SELECT v.id, v.vid, v.name, v.description, v.mtu, v.dhcp_on, host(v.external_dhcp) AS external_dhcp,
               v.fabric_id, f.name AS fabric_name, v.space_id, s.name AS space_name,
               v.primary_rack_id, pr.system_id AS primary_rack, v.secondary_rack_id, sr.system_id AS secondary_rack,
               v.relay_vlan_id,
               v.id = (SELECT min(d.id) FROM vlan d WHERE d.fabric_id = v.fabric_id) AS is_default, f.class_type AS fabric_class_type
        FROM vlan v
        JOIN fabric f ON f.id = v.fabric_id
        LEFT JOIN space s ON s.id = v.space_id
        LEFT JOIN node pr ON pr.id = v.primary_rack_id
        LEFT JOIN node sr ON sr.id = v.secondary_rack_id
        """;

    public static async Task<IReadOnlyList<VlanRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<VlanRecord>(new CommandDefinition($"{Select} ORDER BY v.id", transaction: tx, cancellationToken: ct))).AsList();

    public static async Task<IReadOnlyList<VlanRecord>> ListByFabricAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long fabricId, CancellationToken ct) =>
        (await c.QueryAsync<VlanRecord>(new CommandDefinition($"{Select} WHERE v.fabric_id = @fabricId ORDER BY v.id", new { fabricId }, tx, cancellationToken: ct))).AsList();

    public static async Task<IReadOnlyList<VlanRecord>> ListBySpaceAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long? spaceId, CancellationToken ct) =>
        (await c.QueryAsync<VlanRecord>(new CommandDefinition(
            $"{Select} WHERE v.space_id IS NOT DISTINCT FROM @spaceId ORDER BY v.id", new { spaceId }, tx, cancellationToken: ct))).AsList();

    public static Task<VlanRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<VlanRecord>(new CommandDefinition($"{Select} WHERE v.id = @id", new { id }, tx, cancellationToken: ct));

    public static Task<VlanRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long fabricId, int vid, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<VlanRecord>(new CommandDefinition(
            $"{Select} WHERE v.fabric_id = @fabricId AND v.vid = @vid", new { fabricId, vid }, tx, cancellationToken: ct));

    public static async Task<long> DefaultVlanIdAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long fabricId, CancellationToken ct) =>
        await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(id) FROM vlan WHERE fabric_id = @fabricId", new { fabricId }, tx, cancellationToken: ct))
        ?? throw new NotFoundException("No Fabric matches the given query.");

    /// <summary>The node id of a rack controller (node_type 2 or 4) with this system_id, else null.</summary>
    public static Task<long?> FindRackControllerAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string systemId, CancellationToken ct) =>
        c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM node WHERE system_id = @systemId AND node_type IN (2, 4)", new { systemId }, tx, cancellationToken: ct));

    /// <summary>Whether a subnet on this VLAN has a dynamic range (DHCP needs one).</summary>
    public static Task<bool> HasDynamicRangeAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long vlanId, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM iprange r JOIN subnet s ON s.id = r.subnet_id WHERE s.vlan_id = @vlanId AND r.type = 'dynamic')",
            new { vlanId },
            tx,
            cancellationToken: ct));

    public static async Task<VlanRecord> CreateAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long fabricId, int vid, string? name, string description, int mtu, long? spaceId, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO vlan (fabric_id, vid, name, description, mtu, space_id)
            VALUES (@fabricId, @vid, @name, @description, @mtu, @spaceId)
            ON CONFLICT (fabric_id, vid) DO NOTHING
            RETURNING id
            """,
            new { fabricId, vid, name, description, mtu, spaceId },
            tx,
            cancellationToken: ct))
            ?? throw new ValidationException("__all__", "VLAN with this Fabric and Vid already exists.");
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static async Task<VlanRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, VlanChanges changes, CancellationToken ct)
    {
        var clash = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM vlan o JOIN vlan v ON v.fabric_id = o.fabric_id WHERE v.id = @id AND o.id <> @id AND o.vid = @vid)",
            new { id, vid = changes.Vid },
            tx,
            cancellationToken: ct));
        if (clash)
            throw new ValidationException("__all__", "VLAN with this Fabric and Vid already exists.");
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE vlan SET vid = @Vid, name = @Name, description = @Description, mtu = @Mtu, dhcp_on = @DhcpOn,
                space_id = @SpaceId, primary_rack_id = @PrimaryRackId, secondary_rack_id = @SecondaryRackId,
                relay_vlan_id = @RelayVlanId, updated = now()
            WHERE id = @id
            """,
            new { id, changes.Vid, changes.Name, changes.Description, changes.Mtu, changes.DhcpOn, changes.SpaceId, changes.PrimaryRackId, changes.SecondaryRackId, changes.RelayVlanId },
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static async Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, VlanRecord vlan, CancellationToken ct)
    {
        if (vlan.IsDefault)
            throw new BadRequestException("This VLAN is the default VLAN in the fabric, it cannot be deleted.");
        await c.ExecuteAsync(new CommandDefinition("SELECT 1 FROM vlan WHERE id = @id FOR UPDATE", new { id = vlan.Id }, tx, cancellationToken: ct));
        var subnets = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT cidr::text FROM subnet WHERE vlan_id = @id ORDER BY cidr", new { id = vlan.Id }, tx, cancellationToken: ct))).AsList();
        if (subnets.Count > 0)
            throw new BadRequestException($"Can't delete VLAN; the following subnets are still present: {string.Join(", ", subnets)}");
        await c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM interface WHERE vlan_id = @id AND type = 'vlan';
            UPDATE interface SET vlan_id = (SELECT min(d.id) FROM vlan d WHERE d.fabric_id = @fabricId) WHERE vlan_id = @id;
            DELETE FROM vlan WHERE id = @id;
            """,
            new { id = vlan.Id, fabricId = vlan.FabricId },
            tx,
            cancellationToken: ct));
    }
}

using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Network;

/// <summary>
/// Fabrics. A new fabric gets its untagged VLAN (vid 0) in the same transaction, and the name
/// <c>fabric-&lt;id&gt;</c> when none is given. Fabric 0 always exists.
/// </summary>
public static class FabricStore
{
    public const long DefaultFabricId = 0;

    private const string Columns = "id, name, description, class_type";

    public static async Task<IReadOnlyList<FabricRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<FabricRecord>(new CommandDefinition($"SELECT {Columns} FROM fabric ORDER BY id", transaction: tx, cancellationToken: ct))).AsList();

    /// <summary>By id when the key is a number, else by name.</summary>
    public static Task<FabricRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string key, CancellationToken ct) =>
        long.TryParse(key, out var id)
            ? c.QuerySingleOrDefaultAsync<FabricRecord>(new CommandDefinition($"SELECT {Columns} FROM fabric WHERE id = @id", new { id }, tx, cancellationToken: ct))
            : c.QuerySingleOrDefaultAsync<FabricRecord>(new CommandDefinition($"SELECT {Columns} FROM fabric WHERE name = @key", new { key }, tx, cancellationToken: ct));

    public static async Task<FabricRecord> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, string? name, string description, string? classType, CancellationToken ct)
    {
        var fabric = await c.QuerySingleOrDefaultAsync<FabricRecord>(new CommandDefinition(
            $"""
            WITH next AS (SELECT nextval('fabric_id_seq') AS id)
            INSERT INTO fabric (id, name, description, class_type)
            SELECT id, coalesce(@name, 'fabric-' || id), @description, @classType FROM next
            ON CONFLICT (name) DO NOTHING
            RETURNING {Columns}
            """,
            new { name, description, classType },
            tx,
            cancellationToken: ct))
            ?? throw new ValidationException("name", "Fabric with this Name already exists.");
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO vlan (fabric_id, vid) VALUES (@id, 0)", new { id = fabric.Id }, tx, cancellationToken: ct));
        return fabric;
    }

    public static async Task<FabricRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, string name, string description, string? classType, CancellationToken ct)
    {
        var taken = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM fabric WHERE name = @name AND id <> @id)", new { id, name }, tx, cancellationToken: ct));
        if (taken)
            throw new ValidationException("name", "Fabric with this Name already exists.");
        return await c.QuerySingleAsync<FabricRecord>(new CommandDefinition(
            $"UPDATE fabric SET name = @name, description = @description, class_type = @classType, updated = now() WHERE id = @id RETURNING {Columns}",
            new { id, name, description, classType },
            tx,
            cancellationToken: ct));
    }

    /// <summary>Deletes a fabric with its VLANs; refused for fabric 0 and while subnets or interfaces use it.</summary>
    public static async Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, FabricRecord fabric, CancellationToken ct)
    {
        if (fabric.Id == DefaultFabricId)
            throw new BadRequestException("This fabric is the default fabric, it cannot be deleted.");
        await c.ExecuteAsync(new CommandDefinition("SELECT 1 FROM fabric WHERE id = @id FOR UPDATE", new { id = fabric.Id }, tx, cancellationToken: ct));
        var subnets = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT s.cidr::text FROM subnet s JOIN vlan v ON v.id = s.vlan_id WHERE v.fabric_id = @id ORDER BY s.cidr",
            new { id = fabric.Id },
            tx,
            cancellationToken: ct))).AsList();
        if (subnets.Count > 0)
            throw new BadRequestException($"Can't delete fabric; the following subnets are still present: {string.Join(", ", subnets)}");
        var interfaces = (await c.QueryAsync<string>(new CommandDefinition(
            """
            SELECT i.name || ' (' || i.type || ') on ' || coalesce(n.hostname, '<unknown-node>')
            FROM interface i JOIN vlan v ON v.id = i.vlan_id LEFT JOIN node n ON n.id = i.node_id
            WHERE v.fabric_id = @id ORDER BY n.id, i.name
            """,
            new { id = fabric.Id },
            tx,
            cancellationToken: ct))).AsList();
        if (interfaces.Count > 0)
            throw new BadRequestException($"Can't delete fabric; the following interfaces are still connected: {string.Join(", ", interfaces)}");
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM fabric WHERE id = @id", new { id = fabric.Id }, tx, cancellationToken: ct));
    }
}

using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Network;

/// <summary>Spaces: named groups of VLANs. Deleting one leaves its VLANs in no space.</summary>
public static class SpaceStore
{
    private const string Columns = "id, name, description";

    public static async Task<IReadOnlyList<SpaceRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<SpaceRecord>(new CommandDefinition($"SELECT {Columns} FROM space ORDER BY id", transaction: tx, cancellationToken: ct))).AsList();

    /// <summary>By id when the key is a number, else by name.</summary>
    public static Task<SpaceRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string key, CancellationToken ct) =>
        long.TryParse(key, out var id)
            ? c.QuerySingleOrDefaultAsync<SpaceRecord>(new CommandDefinition($"SELECT {Columns} FROM space WHERE id = @id", new { id }, tx, cancellationToken: ct))
            : c.QuerySingleOrDefaultAsync<SpaceRecord>(new CommandDefinition($"SELECT {Columns} FROM space WHERE name = @key", new { key }, tx, cancellationToken: ct));

    /// <summary>Whether some VLAN is in no space (then listings show MAAS's "undefined" pseudo-space).</summary>
    public static Task<bool> AnyVlanWithoutSpaceAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM vlan WHERE space_id IS NULL)", transaction: tx, cancellationToken: ct));

    public static async Task<SpaceRecord> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, string name, string description, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<SpaceRecord>(new CommandDefinition(
            $"INSERT INTO space (name, description) VALUES (@name, @description) ON CONFLICT (name) DO NOTHING RETURNING {Columns}",
            new { name, description },
            tx,
            cancellationToken: ct))
        ?? throw new ValidationException("name", "Space with this Name already exists.");

    public static async Task<SpaceRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, string name, string description, CancellationToken ct)
    {
        var taken = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM space WHERE name = @name AND id <> @id)", new { id, name }, tx, cancellationToken: ct));
        if (taken)
            throw new ValidationException("name", "Space with this Name already exists.");
        return await c.QuerySingleAsync<SpaceRecord>(new CommandDefinition(
            $"UPDATE space SET name = @name, description = @description, updated = now() WHERE id = @id RETURNING {Columns}",
            new { id, name, description },
            tx,
            cancellationToken: ct));
    }

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM space WHERE id = @id", new { id }, tx, cancellationToken: ct));
}

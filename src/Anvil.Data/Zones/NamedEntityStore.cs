using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Zones;

/// <summary>
/// Zones and resource pools share one shape and most rules: unique names and a "default" that
/// cannot be deleted. Deleting a zone moves its nodes to the default zone (as MAAS does); a pool
/// that still holds machines cannot be deleted.
/// </summary>
public sealed class NamedEntityStore
{
    private readonly Database _db;
    private readonly string _table;
    private readonly string _nodeColumn;
    private readonly string _kind;
    private readonly bool _moveNodesToDefaultOnDelete;

    private NamedEntityStore(Database db, string table, string nodeColumn, string kind, bool moveNodesToDefaultOnDelete)
    {
        _moveNodesToDefaultOnDelete = moveNodesToDefaultOnDelete;
        _db = db;
        _table = table;
        _nodeColumn = nodeColumn;
        _kind = kind;
    }

    public static NamedEntityStore Zones(Database db) => new(db, "zone", "zone_id", "zone", moveNodesToDefaultOnDelete: true);

    public static NamedEntityStore Pools(Database db) => new(db, "resource_pool", "pool_id", "resource pool", moveNodesToDefaultOnDelete: false);

    public async Task<IReadOnlyList<NamedEntity>> ListAsync(CancellationToken ct) =>
        (await _db.ReadAsync(c => c.QueryAsync<NamedEntity>(new CommandDefinition(
            $"SELECT id, name, description FROM {_table} ORDER BY id", cancellationToken: ct)), ct)).AsList();

    public Task<NamedEntity?> FindAsync(string name, CancellationToken ct) =>
        _db.ReadAsync(c => FindAsync(c, null, name, ct), ct);

    public Task<NamedEntity?> FindAsync(long id, CancellationToken ct) =>
        _db.ReadAsync(c => c.QuerySingleOrDefaultAsync<NamedEntity>(new CommandDefinition(
            $"SELECT id, name, description FROM {_table} WHERE id = @id", new { id }, cancellationToken: ct)), ct);

    public Task<NamedEntity?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string name, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<NamedEntity>(new CommandDefinition(
            $"SELECT id, name, description FROM {_table} WHERE name = @name", new { name }, tx, cancellationToken: ct));

    public Task<NamedEntity> CreateAsync(string name, string description, CancellationToken ct) =>
        _db.InTransactionAsync((c, tx) => CreateAsync(c, tx, name, description, ct), ct);

    /// <summary>Creates inside the caller's transaction, so the change and its audit event commit together.</summary>
    public async Task<NamedEntity> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, string name, string description, CancellationToken ct)
    {
        var created = await c.QuerySingleOrDefaultAsync<NamedEntity>(new CommandDefinition(
            $"INSERT INTO {_table} (name, description) VALUES (@name, @description) ON CONFLICT (name) DO NOTHING RETURNING id, name, description",
            new { name, description },
            tx,
            cancellationToken: ct));
        return created ?? throw new ValidationException("name", $"A {_kind} with this name already exists.");
    }

    /// <summary>Renames and/or re-describes; the default may be re-described but not renamed.</summary>
    public Task<NamedEntity> UpdateAsync(long id, string? name, string? description, CancellationToken ct) =>
        _db.InTransactionAsync((c, tx) => UpdateAsync(c, tx, id, name, description, ct), ct);

    public async Task<NamedEntity> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, string? name, string? description, CancellationToken ct)
    {
        var current = await LockAsync(c, tx, id, ct);
        if (name is not null && name != current.Name)
        {
            if (current.Name == "default")
                throw new ValidationException("name", $"This {_kind} is the default {_kind}, it cannot be renamed.");
            if (await FindAsync(c, tx, name, ct) is not null)
                throw new ValidationException("name", $"A {_kind} with this name already exists.");
        }

        return await c.QuerySingleAsync<NamedEntity>(new CommandDefinition(
            $"UPDATE {_table} SET name = @name, description = @description, updated = now() WHERE id = @id RETURNING id, name, description",
            new { id, name = name ?? current.Name, description = description ?? current.Description },
            tx,
            cancellationToken: ct));
    }

    public Task DeleteAsync(long id, CancellationToken ct) =>
        _db.InTransactionAsync((c, tx) => DeleteAsync(c, tx, id, ct), ct);

    /// <summary>Deletes inside the caller's transaction and returns what was deleted.</summary>
    public async Task<NamedEntity> DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        var current = await LockAsync(c, tx, id, ct);
        if (current.Name == "default")
            throw new BadRequestException($"This {_kind} is the default {_kind}, it cannot be deleted.");
        if (_moveNodesToDefaultOnDelete)
        {
            await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE node SET {_nodeColumn} = (SELECT id FROM {_table} WHERE name = 'default') WHERE {_nodeColumn} = @id",
                new { id },
                tx,
                cancellationToken: ct));
        }

        var inUse = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM node WHERE {_nodeColumn} = @id", new { id }, tx, cancellationToken: ct));
        if (inUse > 0)
            throw new BadRequestException($"Cannot delete {_kind} '{current.Name}': {inUse} node(s) still belong to it.");
        await c.ExecuteAsync(new CommandDefinition($"DELETE FROM {_table} WHERE id = @id", new { id }, tx, cancellationToken: ct));
        return current;
    }

    private async Task<NamedEntity> LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<NamedEntity>(new CommandDefinition(
            $"SELECT id, name, description FROM {_table} WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct))
        ?? throw new NotFoundException($"No {_kind} matches the given query.");
}

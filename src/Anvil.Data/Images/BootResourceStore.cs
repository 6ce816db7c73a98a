using Dapper;
using Npgsql;

namespace Anvil.Data.Images;

/// <summary>Boot resources, their sets and files (0007_boot_resources.sql), on the caller's connection and transaction.</summary>
public static class BootResourceStore
{
    private const string Columns =
        "id, rtype, name, architecture, extra::text AS extra, base_image, kflavor, bootloader_type, last_deployed, created, updated";

    private const string FileColumns = "id, set_id, filename, filetype, sha256, size, bytes_present, extra::text AS extra";

    public static async Task<IReadOnlyList<BootResourceRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, int? rtype, CancellationToken ct) =>
        (await c.QueryAsync<BootResourceRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM boot_resource WHERE @rtype::int IS NULL OR rtype = @rtype ORDER BY id", new { rtype }, tx, cancellationToken: ct))).AsList();

    public static Task<BootResourceRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, bool forUpdate, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<BootResourceRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM boot_resource WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}", new { id }, tx, cancellationToken: ct));

    public static Task<BootResourceRecord?> FindByNameAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string name, string architecture, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<BootResourceRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM boot_resource WHERE name = @name AND architecture = @architecture FOR UPDATE", new { name, architecture }, tx, cancellationToken: ct));

    /// <summary>Inserts the resource, or updates type and fields of the one with its name and architecture.</summary>
    public static Task<BootResourceRecord> UpsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, BootResourceRecord resource, CancellationToken ct) =>
        c.QuerySingleAsync<BootResourceRecord>(new CommandDefinition(
            $"""
            INSERT INTO boot_resource (rtype, name, architecture, extra, base_image, kflavor, bootloader_type)
            VALUES (@Rtype, @Name, @Architecture, @Extra::jsonb, @BaseImage, @Kflavor, @BootloaderType)
            ON CONFLICT (name, architecture) DO UPDATE SET rtype = excluded.rtype, extra = excluded.extra, base_image = excluded.base_image,
                kflavor = excluded.kflavor, bootloader_type = excluded.bootloader_type, updated = now()
            RETURNING {Columns}
            """,
            resource,
            tx,
            cancellationToken: ct));

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM boot_resource WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<BootResourceSetRecord>> SetsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long[] resourceIds, CancellationToken ct) =>
        (await c.QueryAsync<BootResourceSetRecord>(new CommandDefinition(
            "SELECT id, resource_id, version, label, created FROM boot_resource_set WHERE resource_id = ANY(@resourceIds) ORDER BY resource_id, version",
            new { resourceIds },
            tx,
            cancellationToken: ct))).AsList();

    public static async Task<IReadOnlyList<BootResourceFileRecord>> FilesAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long[] setIds, CancellationToken ct) =>
        (await c.QueryAsync<BootResourceFileRecord>(new CommandDefinition(
            $"SELECT {FileColumns} FROM boot_resource_file WHERE set_id = ANY(@setIds) ORDER BY set_id, filename", new { setIds }, tx, cancellationToken: ct))).AsList();

    /// <summary>The set of that version, created if the resource has none yet.</summary>
    public static Task<BootResourceSetRecord> EnsureSetAsync(NpgsqlConnection c, NpgsqlTransaction tx, long resourceId, string version, string label, CancellationToken ct) =>
        c.QuerySingleAsync<BootResourceSetRecord>(new CommandDefinition(
            """
            INSERT INTO boot_resource_set (resource_id, version, label) VALUES (@resourceId, @version, @label)
            ON CONFLICT (resource_id, version) DO UPDATE SET label = excluded.label
            RETURNING id, resource_id, version, label, created
            """,
            new { resourceId, version, label },
            tx,
            cancellationToken: ct));

    public static Task DeleteSetAsync(NpgsqlConnection c, NpgsqlTransaction tx, long setId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM boot_resource_set WHERE id = @setId", new { setId }, tx, cancellationToken: ct));

    /// <summary>Adds a file to a set (or replaces the one of that name when its content differs).</summary>
    public static Task<BootResourceFileRecord> UpsertFileAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long setId, string filename, string filetype, string sha256, long size, long bytesPresent, string extra, CancellationToken ct) =>
        c.QuerySingleAsync<BootResourceFileRecord>(new CommandDefinition(
            $"""
            INSERT INTO boot_resource_file (set_id, filename, filetype, sha256, size, bytes_present, extra)
            VALUES (@setId, @filename, @filetype, @sha256, @size, @bytesPresent, @extra::jsonb)
            ON CONFLICT (set_id, filename) DO UPDATE SET filetype = excluded.filetype, sha256 = excluded.sha256, size = excluded.size,
                bytes_present = CASE WHEN boot_resource_file.sha256 = excluded.sha256 THEN greatest(boot_resource_file.bytes_present, excluded.bytes_present)
                                     ELSE excluded.bytes_present END,
                extra = excluded.extra
            RETURNING {FileColumns}
            """,
            new { setId, filename, filetype, sha256, size, bytesPresent, extra },
            tx,
            cancellationToken: ct));

    public static Task<BootResourceFileRecord?> FindFileAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long fileId, bool forUpdate, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<BootResourceFileRecord>(new CommandDefinition(
            $"SELECT {FileColumns} FROM boot_resource_file WHERE id = @fileId{(forUpdate ? " FOR UPDATE" : "")}", new { fileId }, tx, cancellationToken: ct));

    /// <summary>Records how much of every file with this content has arrived (content is shared by sha256).</summary>
    public static Task SetBytesPresentAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sha256, long bytes, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE boot_resource_file SET bytes_present = least(size, @bytes) WHERE sha256 = @sha256", new { sha256, bytes }, tx, cancellationToken: ct));

    /// <summary>Every file with its set and resource, optionally only complete ones.</summary>
    public static async Task<IReadOnlyList<BootImageFileRow>> AllFilesAsync(NpgsqlConnection c, NpgsqlTransaction? tx, bool completeOnly, CancellationToken ct) =>
        (await c.QueryAsync<BootImageFileRow>(new CommandDefinition(
            """
            SELECT r.id AS resource_id, r.rtype, r.name, r.architecture, r.extra::text AS extra, s.id AS set_id, s.version, s.label,
                   f.id AS file_id, f.filename, f.filetype, f.sha256, f.size, f.bytes_present
            FROM boot_resource_file f
            JOIN boot_resource_set s ON s.id = f.set_id
            JOIN boot_resource r ON r.id = s.resource_id
            WHERE NOT @completeOnly OR f.bytes_present >= f.size
            ORDER BY r.name, r.architecture, s.version, f.filename
            """,
            new { completeOnly },
            tx,
            cancellationToken: ct))).AsList();

    /// <summary>Every distinct sha256 any file has; short sha256 prefixes are unique among these.</summary>
    public static async Task<IReadOnlyList<string>> AllSha256Async(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT sha256 FROM boot_resource_file", null, tx, cancellationToken: ct))).AsList();

    public static Task<bool> IsReferencedAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sha256, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM boot_resource_file WHERE sha256 = @sha256)", new { sha256 }, tx, cancellationToken: ct));

    /// <summary>Remembers when a resource was last deployed (MAAS's <c>last_deployed</c>).</summary>
    public static Task MarkDeployedAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long resourceId, DateTimeOffset when, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE boot_resource SET last_deployed = @when WHERE id = @resourceId", new { resourceId, when }, tx, cancellationToken: ct));
}

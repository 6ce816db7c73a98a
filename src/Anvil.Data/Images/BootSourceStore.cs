using Dapper;
using Npgsql;

namespace Anvil.Data.Images;

/// <summary>Boot sources and their selections (0007_boot_resources.sql), on the caller's connection and transaction.</summary>
public static class BootSourceStore
{
    private const string Columns =
        "id, url, keyring_filename, keyring_data, priority, enabled, skip_keyring_verification, name, created, updated";

    private const string SelectionColumns = "id, boot_source_id, os, release, arches, subarches, labels, created, updated";

    /// <summary>Sources, highest priority first (the order the importer reads them in).</summary>
    public static async Task<IReadOnlyList<BootSourceRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<BootSourceRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM boot_source ORDER BY priority DESC, id", null, tx, cancellationToken: ct))).AsList();

    public static Task<BootSourceRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, bool forUpdate, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<BootSourceRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM boot_source WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}", new { id }, tx, cancellationToken: ct));

    /// <summary>Inserts a source; null when its URL is taken.</summary>
    public static Task<BootSourceRecord?> InsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, BootSourceRecord source, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<BootSourceRecord>(new CommandDefinition(
            $"""
            INSERT INTO boot_source (url, keyring_filename, keyring_data, priority, enabled, skip_keyring_verification, name)
            VALUES (@Url, @KeyringFilename, @KeyringData, @Priority, @Enabled, @SkipKeyringVerification, @Name)
            ON CONFLICT (url) DO NOTHING
            RETURNING {Columns}
            """,
            source,
            tx,
            cancellationToken: ct));

    /// <summary>Writes every field; a taken URL surfaces as a unique violation.</summary>
    public static Task<BootSourceRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, BootSourceRecord source, CancellationToken ct) =>
        c.QuerySingleAsync<BootSourceRecord>(new CommandDefinition(
            $"""
            UPDATE boot_source SET url = @Url, keyring_filename = @KeyringFilename, keyring_data = @KeyringData, priority = @Priority,
                enabled = @Enabled, skip_keyring_verification = @SkipKeyringVerification, name = @Name, updated = now()
            WHERE id = @Id
            RETURNING {Columns}
            """,
            source,
            tx,
            cancellationToken: ct));

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM boot_source WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<BootSourceSelectionRecord>> SelectionsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long? sourceId, CancellationToken ct) =>
        (await c.QueryAsync<BootSourceSelectionRecord>(new CommandDefinition(
            $"SELECT {SelectionColumns} FROM boot_source_selection WHERE @sourceId::bigint IS NULL OR boot_source_id = @sourceId ORDER BY id",
            new { sourceId },
            tx,
            cancellationToken: ct))).AsList();

    public static Task<BootSourceSelectionRecord?> FindSelectionAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long sourceId, long id, bool forUpdate, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<BootSourceSelectionRecord>(new CommandDefinition(
            $"SELECT {SelectionColumns} FROM boot_source_selection WHERE id = @id AND boot_source_id = @sourceId{(forUpdate ? " FOR UPDATE" : "")}",
            new { id, sourceId },
            tx,
            cancellationToken: ct));

    /// <summary>Inserts a selection; null when the source already selects that os and release.</summary>
    public static Task<BootSourceSelectionRecord?> InsertSelectionAsync(NpgsqlConnection c, NpgsqlTransaction tx, BootSourceSelectionRecord selection, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<BootSourceSelectionRecord>(new CommandDefinition(
            $"""
            INSERT INTO boot_source_selection (boot_source_id, os, release, arches, subarches, labels)
            VALUES (@BootSourceId, @Os, @Release, @Arches, @Subarches, @Labels)
            ON CONFLICT (boot_source_id, os, release) DO NOTHING
            RETURNING {SelectionColumns}
            """,
            selection,
            tx,
            cancellationToken: ct));

    /// <summary>Writes every field; a duplicate os/release surfaces as a unique violation.</summary>
    public static Task<BootSourceSelectionRecord> UpdateSelectionAsync(NpgsqlConnection c, NpgsqlTransaction tx, BootSourceSelectionRecord selection, CancellationToken ct) =>
        c.QuerySingleAsync<BootSourceSelectionRecord>(new CommandDefinition(
            $"""
            UPDATE boot_source_selection SET os = @Os, release = @Release, arches = @Arches, subarches = @Subarches, labels = @Labels, updated = now()
            WHERE id = @Id
            RETURNING {SelectionColumns}
            """,
            selection,
            tx,
            cancellationToken: ct));

    public static Task DeleteSelectionAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM boot_source_selection WHERE id = @id", new { id }, tx, cancellationToken: ct));
}

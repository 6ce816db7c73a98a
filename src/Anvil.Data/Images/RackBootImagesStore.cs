using Dapper;
using Npgsql;

namespace Anvil.Data.Images;

/// <summary>What racks report holding (0007_boot_resources.sql <c>rack_boot_images</c>).</summary>
public static class RackBootImagesStore
{
    public static Task ReportAsync(NpgsqlConnection c, long nodeId, string syncedVersion, string imagesJson, DateTimeOffset when, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO rack_boot_images (node_id, synced_version, images, reported) VALUES (@nodeId, @syncedVersion, @imagesJson::jsonb, @when)
            ON CONFLICT (node_id) DO UPDATE SET synced_version = excluded.synced_version, images = excluded.images, reported = excluded.reported
            """,
            new { nodeId, syncedVersion, imagesJson, when },
            cancellationToken: ct));

    public static Task<RackBootImagesRecord?> FindAsync(NpgsqlConnection c, long nodeId, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<RackBootImagesRecord>(new CommandDefinition(
            "SELECT node_id, synced_version, images::text AS images, reported FROM rack_boot_images WHERE node_id = @nodeId",
            new { nodeId },
            cancellationToken: ct));
}

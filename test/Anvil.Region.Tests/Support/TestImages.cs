using System.Security.Cryptography;
using System.Text.Json;
using Anvil.Data;
using Dapper;

namespace Anvil.Region.Tests.Support;

/// <summary>
/// Boot images for tests that deploy: the rows a finished upload (<c>POST boot-resources/</c> with
/// its content) leaves — an uploaded resource, a new set labelled <c>uploaded</c>, one complete root
/// file — so deploy and the installer find an image without a test reaching for a mirror.
/// </summary>
internal static class TestImages
{
    private static long uploads;

    /// <summary>Adds a complete image for <paramref name="name"/> (<c>ubuntu/noble</c>, <c>custom/x</c>) on <paramref name="architecture"/>; returns its sha256.</summary>
    /// <remarks>With <paramref name="complete"/> false the file has only begun to arrive, as an upload still under way.</remarks>
    /// <remarks><paramref name="subarches"/>: the subarchitectures it serves, as a mirror lists them (its own by default).</remarks>
    public static async Task<string> AddAsync(Database db, string name, string architecture = "amd64/generic", string filetype = "root-tgz", bool complete = true, string? subarches = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray()));
        var extra = JsonSerializer.Serialize(new Dictionary<string, string> { ["title"] = name, ["subarches"] = subarches ?? architecture.Split('/')[1] });
        // A second upload of a name adds a newer set to the same resource, as the API does.
        var version = $"20260101.{Interlocked.Increment(ref uploads):D10}";
        await db.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                """
                WITH r AS (
                    INSERT INTO boot_resource (rtype, name, architecture, extra) VALUES (2, @name, @architecture, @extra::jsonb)
                    ON CONFLICT (name, architecture) DO UPDATE SET updated = now()
                    RETURNING id),
                s AS (INSERT INTO boot_resource_set (resource_id, version, label) SELECT id, @version, 'uploaded' FROM r RETURNING id)
                INSERT INTO boot_resource_file (set_id, filename, filetype, sha256, size, bytes_present)
                SELECT id, @filetype, @filetype, @sha, 1000, @present FROM s
                """,
                new { name, architecture, extra, version, filetype, sha, present = complete ? 1000 : 400 },
                tx)),
            CancellationToken.None);
        return sha;
    }

    /// <summary>An image for the configured default release (<c>ubuntu/noble</c>), which a deploy without <c>distro_series</c> takes.</summary>
    public static Task<string> AddDefaultAsync(Database db, string architecture = "amd64/generic") => AddAsync(db, "ubuntu/noble", architecture);
}

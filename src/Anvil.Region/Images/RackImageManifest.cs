using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Images;
using Anvil.Rpc.Contracts;

namespace Anvil.Region.Images;

/// <summary>
/// The region's side of rack image sync: the list of files every rack should hold (the catalog),
/// versioned by a digest so an unchanged list costs nothing, and what each rack reports holding,
/// which <c>rackcontrollers/{id}/?op=list_boot_images</c> shows.
/// </summary>
public sealed class RackImageManifest(Database db, TimeProvider clock)
{
    public async Task<BootImagesResponse> GetAsync(string? knownVersion, CancellationToken ct)
    {
        var files = await FilesAsync(ct);
        var version = VersionOf(files);
        return version == knownVersion ? new BootImagesResponse(version, true, null) : new BootImagesResponse(version, false, files);
    }

    public async Task<IReadOnlyList<BootImageFileDto>> FilesAsync(CancellationToken ct)
    {
        var catalog = await db.ReadAsync(c => BootImageCatalog.ReadAsync(c, null, ct), ct);
        return [.. catalog.Select(f => new BootImageFileDto(f.Path, f.Row.Sha256, f.Row.Size, f.Row.Name, f.Row.Architecture)).OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    public Task ReportAsync(long nodeId, ReportBootImagesRequest report, CancellationToken ct) =>
        db.ReadAsync(
            async c =>
            {
                await RackBootImagesStore.ReportAsync(c, nodeId, report.SyncedVersion, JsonSerializer.Serialize(report.Images, LinkJsonOptions), clock.GetUtcNow(), ct);
                return 0;
            },
            ct);

    /// <summary>
    /// <c>list_boot_images</c>: the images the rack reported, and <c>synced</c> when it holds the
    /// current list, <c>syncing</c> when it reported an older one, <c>unknown</c> when it never reported.
    /// </summary>
    public async Task<RackImagesStatus> StatusAsync(long nodeId, CancellationToken ct)
    {
        var report = await db.ReadAsync(c => RackBootImagesStore.FindAsync(c, nodeId, ct), ct);
        if (report is null)
            return new RackImagesStatus([], "unknown");
        var images = JsonSerializer.Deserialize<List<RackBootImageDto>>(report.Images, LinkJsonOptions) ?? [];
        var current = VersionOf(await FilesAsync(ct));
        return new RackImagesStatus(images, report.SyncedVersion == current ? "synced" : "syncing");
    }

    public static string VersionOf(IReadOnlyList<BootImageFileDto> files)
    {
        var text = new StringBuilder();
        foreach (var file in files)
            text.Append(file.Path).Append(' ').Append(file.Sha256).Append(' ').Append(file.Size).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static JsonSerializerOptions LinkJsonOptions => Anvil.Rpc.LinkJson.Options;
}

public sealed record RackImagesStatus(IReadOnlyList<RackBootImageDto> Images, string Status);

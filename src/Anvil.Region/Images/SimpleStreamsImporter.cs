using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Images;
using Anvil.Domain.Images;
using Anvil.Domain.Images.SimpleStreams;
using Anvil.Rpc.Transfer;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Anvil.Region.Images;

/// <summary>What one import did.</summary>
public sealed record ImportReport(int Images, int FilesDownloaded, long BytesDownloaded, IReadOnlyList<string> Errors);

/// <summary>
/// Imports boot images from every enabled boot source, highest priority first: reads the mirror's
/// simplestreams index and products documents (clearsigned <c>.sjson</c> checked with gpgv unless
/// the source skips verification), keeps the newest version of each product a selection picks as a
/// Synced resource, and downloads the files the store lacks, resuming partial ones. Afterwards,
/// when every source was read, older sets and resources no selection picks any more are removed;
/// uploaded resources are never touched.
/// </summary>
public sealed class SimpleStreamsImporter(Database db, ImageFileStore store, HttpClient http, GpgVerifier gpg, ILogger<SimpleStreamsImporter> logger)
{
    private const int MaxDocumentBytes = 64 * 1024 * 1024;

    public async Task<ImportReport> ImportAsync(CancellationToken ct)
    {
        var sources = await db.ReadAsync(c => BootSourceStore.ListAsync(c, null, ct), ct);
        var selections = await db.ReadAsync(c => BootSourceStore.SelectionsAsync(c, null, null, ct), ct);
        var errors = new List<string>();
        var wanted = new HashSet<(string Name, string Architecture)>();
        var images = 0;
        var files = 0;
        long bytes = 0;
        foreach (var source in sources.Where(s => s.Enabled))
        {
            var filters = selections.Where(s => s.BootSourceId == source.Id)
                .Select(s => new SelectionFilter(s.Os, s.Release, s.Arches, s.Subarches, s.Labels))
                .ToList();
            if (filters.Count == 0)
                continue;
            try
            {
                foreach (var (image, baseUri) in await SelectedImagesAsync(source, filters, ct))
                {
                    var key = ($"{image.Os}/{image.Release}", $"{image.Arch}/{image.Subarch}");
                    if (!wanted.Add(key))
                        continue; // A higher-priority source already provides it.
                    var (downloaded, transferred) = await ImportImageAsync(image, baseUri, errors, ct);
                    images++;
                    files += downloaded;
                    bytes += transferred;
                }
            }
            catch (ImportException e)
            {
                ImagesLog.SourceFailed(logger, source.Url, e.Message);
                errors.Add(e.Message);
            }
        }

        if (errors.Count == 0)
            await PruneAsync(wanted, ct);
        ImagesLog.ImportDone(logger, images, files, bytes, errors.Count);
        return new ImportReport(images, files, bytes, errors);
    }

    private async Task<List<(StreamImage Image, Uri Base)>> SelectedImagesAsync(BootSourceRecord source, List<SelectionFilter> filters, CancellationToken ct)
    {
        var baseUri = new Uri(source.Url.EndsWith('/') ? source.Url : source.Url + "/");
        var verify = !source.SkipKeyringVerification;
        var indexBytes = await FetchDocumentAsync(source, new Uri(baseUri, verify ? "streams/v1/index.sjson" : "streams/v1/index.json"), verify, ct);
        if (!StreamIndex.TryParse(indexBytes, out var index, out var error))
            throw new ImportException($"The simplestreams index of {source.Url} is unusable: {error}.");

        var result = new List<(StreamImage, Uri)>();
        foreach (var entry in index.ImageDownloads)
        {
            var path = verify && entry.Path.EndsWith(".json", StringComparison.Ordinal) ? entry.Path[..^".json".Length] + ".sjson" : entry.Path;
            var document = await FetchDocumentAsync(source, new Uri(baseUri, path), verify, ct);
            if (!StreamProducts.TryParse(document, out var products, out error))
                throw new ImportException($"The products document {entry.Path} of {source.Url} is unusable: {error}.");
            if (products.Skipped > 0)
                ImagesLog.ItemsSkipped(logger, entry.Path, products.Skipped);
            result.AddRange(products.Latest
                .Where(i => i.Items.Count > 0 && i.Os.Length > 0 && i.Release.Length > 0 && i.Arch.Length > 0)
                .Where(i => BootResourceName.TryParse($"{i.Os}/{i.Release}", out _) && BootArchitecture.TryParse($"{i.Arch}/{i.Subarch}", out _))
                .Where(i => filters.Any(f => f.Matches(i.Os, i.Release, i.Arch, i.Subarch, i.Label)))
                .Select(i => (i, baseUri)));
        }

        return result;
    }

    private async Task<byte[]> FetchDocumentAsync(BootSourceRecord source, Uri uri, bool verify, CancellationToken ct)
    {
        byte[] content;
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
                throw new ImportException($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
                throw new ImportException($"{uri} is larger than {MaxDocumentBytes} bytes.");
            content = await response.Content.ReadAsByteArrayAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ImportException($"{uri} could not be fetched: {e.Message}", e);
        }

        return verify ? await gpg.VerifyAsync(content, source, ct) : content;
    }

    private async Task<(int Files, long Bytes)> ImportImageAsync(StreamImage image, Uri baseUri, List<string> errors, CancellationToken ct)
    {
        var name = $"{image.Os}/{image.Release}";
        var architecture = $"{image.Arch}/{image.Subarch}";
        var label = image.Label.Length > 0 ? image.Label : "stable";
        var extra = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["title"] = image.Get("release_title") is { Length: > 0 } t ? t : name,
            ["subarches"] = image.Get("subarches") is { Length: > 0 } s ? s : image.Subarch,
        });
        var items = image.Items.Where(i => BootFileTypes.All.Contains(i.FileType)).ToList();
        var stored = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var existing = await BootResourceStore.FindByNameAsync(c, tx, name, architecture, ct);
                if (existing is { Rtype: (int)BootResourceType.Uploaded })
                    return false; // An operator's upload of the same name wins over the mirror.
                var resource = await BootResourceStore.UpsertAsync(
                    c, tx, new BootResourceRecord { Rtype = (int)BootResourceType.Synced, Name = name, Architecture = architecture, Extra = extra, Kflavor = image.Get("kflavor") }, ct);
                var set = await BootResourceStore.EnsureSetAsync(c, tx, resource.Id, image.Version, label, ct);
                foreach (var item in items)
                {
                    await BootResourceStore.UpsertFileAsync(
                        c, tx, set.Id, item.Name, item.FileType, item.Sha256, item.Size, store.Has(item.Sha256) ? item.Size : 0, "{}", ct);
                }

                return true;
            },
            ct);
        if (!stored)
            return (0, 0);

        var downloaded = 0;
        long bytes = 0;
        foreach (var item in items.Where(i => !store.Has(i.Sha256)))
        {
            using (await store.LockAsync(item.Sha256, ct))
            {
                if (!store.Has(item.Sha256))
                {
                    try
                    {
                        bytes += await store.DownloadAsync(http, new Uri(baseUri, item.Path), item.Sha256, item.Size, ct);
                        downloaded++;
                    }
                    catch (DownloadException e)
                    {
                        ImagesLog.FileFailed(logger, item.Path, e.Message);
                        errors.Add(e.Message);
                        await SetBytesPresentAsync(item.Sha256, store.BytesPresent(item.Sha256), ct);
                        continue;
                    }
                }
            }

            await SetBytesPresentAsync(item.Sha256, item.Size, ct);
        }

        return (downloaded, bytes);
    }

    private async Task SetBytesPresentAsync(string sha256, long bytes, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        await BootResourceStore.SetBytesPresentAsync(connection, null, sha256, bytes, ct);
    }

    /// <summary>Drops synced resources nothing selects, and every set older than a resource's newest complete one.</summary>
    private async Task PruneAsync(HashSet<(string Name, string Architecture)> wanted, CancellationToken ct)
    {
        var orphans = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var before = await BootResourceStore.AllSha256Async(c, tx, ct);
                foreach (var resource in await BootResourceStore.ListAsync(c, tx, (int)BootResourceType.Synced, ct))
                {
                    if (!wanted.Contains((resource.Name, resource.Architecture)))
                    {
                        await BootResourceStore.DeleteAsync(c, tx, resource.Id, ct);
                        continue;
                    }

                    await DropOldSetsAsync(c, tx, resource.Id, ct);
                }

                var after = (await BootResourceStore.AllSha256Async(c, tx, ct)).ToHashSet(StringComparer.Ordinal);
                return before.Where(s => !after.Contains(s)).ToList();
            },
            ct);
        foreach (var sha in orphans)
        {
            using (await store.LockAsync(sha, ct))
                store.Delete(sha);
        }
    }

    internal static async Task DropOldSetsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long resourceId, CancellationToken ct)
    {
        var sets = await BootResourceStore.SetsAsync(c, tx, [resourceId], ct);
        var files = await BootResourceStore.FilesAsync(c, tx, [.. sets.Select(s => s.Id)], ct);
        var newestComplete = sets
            .Where(s => files.Any(f => f.SetId == s.Id) && files.Where(f => f.SetId == s.Id).All(f => f.Complete))
            .MaxBy(s => s.Version, StringComparer.Ordinal);
        if (newestComplete is null)
            return;
        foreach (var old in sets.Where(s => string.CompareOrdinal(s.Version, newestComplete.Version) < 0))
            await BootResourceStore.DeleteSetAsync(c, tx, old.Id, ct);
    }
}

using Anvil.Domain.Images;
using Anvil.Rpc;
using Anvil.Rpc.Contracts;
using Anvil.Rpc.Transfer;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Images;

/// <summary>What one sync pass did.</summary>
public sealed record ImageSyncResult(bool Complete, int Downloaded, long BytesDownloaded, int Removed, IReadOnlyList<string> Errors);

/// <summary>
/// Keeps <c>&lt;boot-resources&gt;/images/</c> equal to the region's list of boot image files: each
/// missing file is fetched from a region's store into <c>&lt;path&gt;.partial</c> (resumed with Range
/// after an interruption), checked against its sha256 and renamed into place; files below a
/// short-sha256 directory that the list no longer names are removed. Nothing else in the boot
/// resources directory is touched — the ephemeral environment (<c>anvil/…</c>) and bootloaders
/// live outside <c>images/</c>. After each pass the rack reports what it holds.
/// </summary>
public sealed class RackImageSync(string bootResourcesDir, IImageSyncRegion region, HttpClient http, ILogger logger) : IAsyncDisposable
{
    private const string PartialSuffix = ".partial";
    private readonly SemaphoreSlim pass = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;
    private string syncedVersion = "";

    /// <summary>Where synced files go; the rack serves <c>/images/&lt;path&gt;</c> from here.</summary>
    public string ImagesRoot { get; } = Path.Combine(bootResourcesDir, "images");

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    public int DownloadAttempts { get; init; } = 3;

    /// <summary>The list version this rack holds completely ("" until the first complete pass).</summary>
    public string SyncedVersion => syncedVersion;

    public void Start() => loop = Task.Run(LoopAsync);

    /// <summary>One pass now (passes never overlap).</summary>
    public async Task<ImageSyncResult> SyncNowAsync(CancellationToken ct)
    {
        await pass.WaitAsync(ct);
        try
        {
            return await SyncAsync(ct);
        }
        finally
        {
            pass.Release();
        }
    }

    /// <summary>A pass every <see cref="Interval"/>; sooner after a failure (the rack not registered yet, no region).</summary>
    private async Task LoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var wait = Interval;
            try
            {
                var result = await SyncNowAsync(stop.Token);
                if (result.Downloaded > 0 || result.Removed > 0 || result.Errors.Count > 0)
                    RackImagesLog.Synced(logger, result.Downloaded, result.BytesDownloaded, result.Removed, result.Errors.Count);
                if (!result.Complete)
                    wait = RetryInterval;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LinkException or LinkCallException or IOException or UnauthorizedAccessException)
            {
                RackImagesLog.SyncFailed(logger, e.Message);
                wait = RetryInterval;
            }

            await Task.Delay(wait, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<ImageSyncResult> SyncAsync(CancellationToken ct)
    {
        var manifest = await region.GetManifestAsync(syncedVersion.Length > 0 ? syncedVersion : null, ct);
        if (manifest.Unchanged || manifest.Files is null)
            return new ImageSyncResult(true, 0, 0, 0, []);

        Directory.CreateDirectory(ImagesRoot);
        var wanted = new Dictionary<string, BootImageFileDto>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (SafeRelative(file.Path) is { } relative && Sha256Text.IsValid(file.Sha256) && file.Size >= 0)
                wanted[relative] = file;
        }

        var errors = new List<string>();
        var downloaded = 0;
        long bytes = 0;
        var held = new List<BootImageFileDto>();
        foreach (var (relative, file) in wanted)
        {
            var target = Path.Combine(ImagesRoot, relative);
            if (!IsHeld(target, file.Size))
            {
                try
                {
                    bytes += await FetchAsync(file, target, ct);
                    downloaded++;
                }
                catch (DownloadException e)
                {
                    errors.Add(e.Message);
                    continue;
                }
            }

            held.Add(file);
        }

        var removed = RemoveStale(wanted.Keys.ToHashSet(StringComparer.Ordinal));
        var complete = errors.Count == 0 && held.Count == wanted.Count;
        if (complete)
            syncedVersion = manifest.Version;
        await region.ReportAsync(complete ? manifest.Version : "", Summarise(held), ct);
        return new ImageSyncResult(complete, downloaded, bytes, removed, errors);
    }

    private async Task<long> FetchAsync(BootImageFileDto file, string target, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        DownloadException? last = null;
        foreach (var url in region.ContentUrls(file.Sha256))
        {
            try
            {
                return await ResumableDownload.FetchAsync(http, url, target + PartialSuffix, target, file.Sha256, file.Size, DownloadAttempts, ct);
            }
            catch (DownloadException e)
            {
                last = e;
            }
        }

        throw last ?? new DownloadException($"No region to fetch {file.Path} from.");
    }

    /// <summary>A file renamed into place was verified then; one of the right size is taken as held.</summary>
    private static bool IsHeld(string path, long size)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length == size;
    }

    /// <summary>Deletes files below short-sha256 directories that are not wanted (nor a wanted file's partial), then empty directories.</summary>
    private int RemoveStale(HashSet<string> wanted)
    {
        var removed = 0;
        foreach (var top in new DirectoryInfo(ImagesRoot).EnumerateDirectories())
        {
            if (!ImagePaths.IsShortSha(top.Name) || top.LinkTarget is not null)
                continue;
            foreach (var file in top.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                var relative = Path.GetRelativePath(ImagesRoot, file.FullName).Replace('\\', '/');
                var keep = wanted.Contains(relative) || (relative.EndsWith(PartialSuffix, StringComparison.Ordinal) && wanted.Contains(relative[..^PartialSuffix.Length]));
                if (keep)
                    continue;
                file.Delete();
                removed++;
            }

            DeleteEmpty(top);
        }

        return removed;
    }

    private static void DeleteEmpty(DirectoryInfo directory)
    {
        foreach (var child in directory.EnumerateDirectories())
        {
            if (child.LinkTarget is null)
                DeleteEmpty(child);
        }

        if (!directory.EnumerateFileSystemInfos().Any())
            directory.Delete();
    }

    /// <summary>The region's path, if it is a plain relative path below a short-sha256 directory.</summary>
    private static string? SafeRelative(string path)
    {
        var parts = path.Split('/');
        if (parts.Length < 2 || !ImagePaths.IsShortSha(parts[0]) || parts.Any(p => p.Length == 0 || p is "." or ".." || p.Contains('\0', StringComparison.Ordinal) || p.Contains('\\', StringComparison.Ordinal)))
            return null;
        return path;
    }

    /// <summary>The images held, as <c>list_boot_images</c> shows them: name, architecture, subarches.</summary>
    private static List<RackBootImageDto> Summarise(IEnumerable<BootImageFileDto> held) =>
        [.. held.Select(f => (f.Name, Arch: f.Architecture.Split('/')[0], Subarch: f.Architecture.Contains('/', StringComparison.Ordinal) ? f.Architecture.Split('/')[1] : BootArchitecture.Generic))
            .Distinct()
            .GroupBy(i => (i.Name, i.Arch))
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal).ThenBy(g => g.Key.Arch, StringComparer.Ordinal)
            .Select(g => new RackBootImageDto(g.Key.Name, g.Key.Arch, [.. g.Select(i => i.Subarch).Order(StringComparer.Ordinal)]))];

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
        pass.Dispose();
    }
}

internal static partial class RackImagesLog
{
    [LoggerMessage(EventId = 7750, Level = LogLevel.Information, Message = "Boot images synced: {Downloaded} file(s) fetched ({Bytes} bytes), {Removed} removed, {Errors} error(s)")]
    public static partial void Synced(ILogger logger, int downloaded, long bytes, int removed, int errors);

    [LoggerMessage(EventId = 7751, Level = LogLevel.Debug, Message = "Boot image sync did not run: {Reason}")]
    public static partial void SyncFailed(ILogger logger, string reason);
}

using System.Collections.Concurrent;
using Anvil.Domain.Images;
using Anvil.Rpc.Transfer;

namespace Anvil.Region.Images;

/// <summary>
/// The region's content-addressed store: a complete file is <c>&lt;root&gt;/&lt;sha256&gt;</c>, one still
/// arriving (an upload in chunks, an interrupted import) is <c>&lt;root&gt;/&lt;sha256&gt;.partial</c>, kept so
/// the next chunk or attempt carries on. A file only takes its final name once its sha256 has been
/// checked. Work on one sha256 is serialised with <see cref="LockAsync"/>; the directory is created
/// on first write.
/// </summary>
public sealed class ImageFileStore(ImageStoreOptions options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    public string Root { get; } = options.Root;

    public string PathOf(string sha256) => Path.Combine(Root, Checked(sha256));

    public string PartialPathOf(string sha256) => PathOf(sha256) + ".partial";

    public bool Has(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Bytes of a file so far: its size when complete, what has arrived when partial, else 0.</summary>
    public long BytesPresent(string sha256)
    {
        var complete = new FileInfo(PathOf(sha256));
        if (complete.Exists)
            return complete.Length;
        var partial = new FileInfo(PartialPathOf(sha256));
        return partial.Exists ? partial.Length : 0;
    }

    /// <summary>Serialises uploads, imports and deletes of one sha256 within this process.</summary>
    public async Task<IDisposable> LockAsync(string sha256, CancellationToken ct)
    {
        var gate = locks.GetOrAdd(Checked(sha256), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    /// <summary>
    /// Appends exactly <paramref name="count"/> bytes of <paramref name="source"/> to the partial file
    /// and returns its new length; fewer bytes than promised leave the partial file as it was.
    /// </summary>
    public async Task<long> AppendAsync(string sha256, Stream source, long count, CancellationToken ct)
    {
        Directory.CreateDirectory(Root);
        var path = PartialPathOf(sha256);
        await using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
        var start = file.Length;
        file.Position = start;
        var buffer = new byte[128 * 1024];
        long copied = 0;
        while (copied < count)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - copied)), ct);
            if (read == 0)
            {
                file.SetLength(start);
                throw new EndOfStreamException($"Got {copied} of {count} bytes.");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), ct);
            copied += read;
        }

        if (await source.ReadAsync(buffer.AsMemory(0, 1), ct) > 0)
        {
            file.SetLength(start);
            throw new InvalidDataException($"Got more than {count} bytes.");
        }

        return start + copied;
    }

    /// <summary>Verifies a fully arrived partial file and gives it its final name; false (and the partial dropped) when the content is wrong.</summary>
    public async Task<bool> TryCompleteAsync(string sha256, long size, CancellationToken ct)
    {
        try
        {
            await ResumableDownload.VerifyAndMoveAsync(PartialPathOf(sha256), PathOf(sha256), sha256, size, ct);
            return true;
        }
        catch (DownloadException)
        {
            File.Delete(PartialPathOf(sha256));
            return false;
        }
    }

    /// <summary>Downloads a file into the store from <paramref name="url"/>, resuming a partial one.</summary>
    public Task<long> DownloadAsync(HttpClient http, Uri url, string sha256, long size, CancellationToken ct)
    {
        Directory.CreateDirectory(Root);
        return ResumableDownload.FetchAsync(http, url, PartialPathOf(sha256), PathOf(sha256), sha256, size, options.DownloadAttempts, ct);
    }

    public FileStream? OpenRead(string sha256)
    {
        if (!Sha256Text.IsValid(sha256))
            return null;
        try
        {
            return new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes a file's content, complete or partial.</summary>
    public void Delete(string sha256)
    {
        File.Delete(PathOf(sha256));
        File.Delete(PartialPathOf(sha256));
    }

    /// <summary>Resets an upload: the partial file goes, so the next chunk starts from byte 0.</summary>
    public void DeletePartial(string sha256)
    {
        // File.Delete tolerates a missing file but not a missing directory: a store nothing was written to yet.
        if (Directory.Exists(Root))
            File.Delete(PartialPathOf(sha256));
    }

    private static string Checked(string sha256) =>
        Sha256Text.IsValid(sha256) ? sha256 : throw new ArgumentException($"'{sha256}' is not a lower-case hex sha256.", nameof(sha256));

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
                gate.Release();
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Anvil.Rpc.Transfer;

/// <summary>
/// Fetches a file of known sha256 and size over HTTP into <c>partialPath</c>, resuming with
/// <c>Range</c> from whatever is already there (after an interrupted transfer, or a restart), then
/// verifies the whole file and moves it to its final path in one rename. A partial file is kept when
/// the transfer breaks, and dropped when its content turns out wrong.
/// </summary>
public static class ResumableDownload
{
    private const int BufferSize = 128 * 1024;

    /// <summary>Downloads (or finishes downloading) the file; returns how many bytes came over the network.</summary>
    public static async Task<long> FetchAsync(
        HttpClient http, Uri url, string partialPath, string finalPath, string sha256, long size, int attempts, CancellationToken ct)
    {
        long transferred = 0;
        Exception? last = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                transferred += await TransferAsync(http, url, partialPath, size, ct);
                last = null;
                break;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                // The partial file keeps what arrived; the next attempt asks for the rest.
                last = e;
            }
        }

        if (last is not null)
            throw new DownloadException($"Downloading {url} failed after {attempts} attempt(s): {last.Message}", last);
        await VerifyAndMoveAsync(partialPath, finalPath, sha256, size, ct);
        return transferred;
    }

    /// <summary>Checks size and sha256 of <paramref name="partialPath"/> and renames it into place; a wrong file is deleted.</summary>
    public static async Task VerifyAndMoveAsync(string partialPath, string finalPath, string sha256, long size, CancellationToken ct)
    {
        var length = new FileInfo(partialPath).Length;
        if (length != size)
            throw new DownloadException($"{partialPath} has {length} bytes, not {size}.");
        string actual;
        await using (var stream = new FileStream(partialPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan))
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        if (actual != sha256)
        {
            File.Delete(partialPath);
            throw new DownloadException($"The content has sha256 {actual}, not {sha256}; the partial file was dropped.");
        }

        File.Move(partialPath, finalPath, overwrite: true);
    }

    private static async Task<long> TransferAsync(HttpClient http, Uri url, string partialPath, long size, CancellationToken ct)
    {
        var have = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
        if (have > size)
        {
            File.Delete(partialPath);
            have = 0;
        }

        if (have == size)
            return 0;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
            request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            return 0;
        response.EnsureSuccessStatusCode();
        // A server that ignores Range answers 200 with the whole file: start again from byte 0.
        var offset = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have ? have : 0;

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await using var file = new FileStream(partialPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
        file.SetLength(offset);
        file.Position = offset;
        var buffer = new byte[BufferSize];
        long written = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (offset + written + read > size)
                throw new DownloadException($"{url} sent more than the {size} bytes the file has.");
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
            written += read;
        }

        if (offset + written != size)
            throw new IOException($"{url} ended after {offset + written} of {size} bytes.");
        return written;
    }
}

/// <summary>A download that did not produce the expected file.</summary>
public sealed class DownloadException(string message, Exception? inner = null) : Exception(message, inner);

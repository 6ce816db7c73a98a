using System.Buffers;
using System.Globalization;
using System.Net;
using Anvil.Rack.Boot;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Http;

/// <summary>
/// GET and HEAD of any boot file by its path, generated configs and files alike, with single byte
/// ranges (206 / 416) so that an interrupted image download can resume.
/// </summary>
internal sealed class BootFileEndpoint(IBootFileProvider files, ILogger logger)
{
    private const int CopyBufferSize = 64 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        var path = request.Path.Value ?? "/";
        var client = new BootClient(Unmapped(context.Connection.LocalIpAddress), Unmapped(context.Connection.RemoteIpAddress));
        BootFile? file;
        try
        {
            file = await files.OpenAsync(path, client, context.RequestAborted);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The region could not say what this machine boots; the iPXE first stage falls back to its default.
            RackHttpLog.BootConfigUnavailable(logger, e, path, client.RemoteAddress.ToString());
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsync("Boot configuration unavailable.\n", context.RequestAborted);
            return;
        }

        if (file is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain";
            await response.WriteAsync("Not found.\n", context.RequestAborted);
            return;
        }

        await using (file)
            await SendAsync(context, file);
    }

    private static async Task SendAsync(HttpContext context, BootFile file)
    {
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        // Without a validator to compare, If-Range can never match: the whole file is the safe answer.
        var range = context.Request.Headers.IfRange.Count > 0
            ? new ByteRange(ByteRangeKind.Whole, 0, file.Length)
            : ByteRange.Parse(context.Request.Headers.Range, file.Length);

        if (range.Kind == ByteRangeKind.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes */{file.Length}");
            response.ContentLength = 0;
            return;
        }

        if (range.Kind == ByteRangeKind.Partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.Start + range.Count - 1}/{file.Length}");
        }

        response.ContentType = file.ContentType;
        response.ContentLength = range.Count;
        if (HttpMethods.IsHead(context.Request.Method) || range.Count == 0)
            return;

        file.Content.Seek(range.Start, SeekOrigin.Begin);
        await CopyAsync(file.Content, response.Body, range.Count, context.RequestAborted);
    }

    private static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (count > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
                if (read == 0)
                    throw new EndOfStreamException("The boot file ended before its announced length.");
                await destination.WriteAsync(buffer.AsMemory(0, read), ct);
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IPAddress Unmapped(IPAddress? address) => address switch
    {
        null => IPAddress.None,
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4(),
        _ => address,
    };
}

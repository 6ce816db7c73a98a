using System.Buffers;
using System.Text;
using Anvil.Domain.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Reads multipart/form-data and urlencoded bodies into an <see cref="ApiBody"/>. Written here
/// rather than with <c>ReadFormAsync</c>, which throws on python-libmaas's empty multipart body
/// and hands back base64 parts undecoded.
/// </summary>
internal static class ApiBodyReader
{
    private const int InitialBufferLimit = 1024 * 1024;

    public static async Task<ApiBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
            return ApiBody.None;

        if (contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var body = await ReadAllAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
            var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).ToString();
            if (boundary.Length == 0)
            {
                return body.Length == 0 || body.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0
                    ? ApiBody.None
                    : throw new BadRequestException("Invalid multipart body: the Content-Type header has no boundary.");
            }

            if (!MultipartFormParser.TryParse(body, boundary, out var parts, out var error))
                throw new BadRequestException($"Invalid multipart body: {error}.");
            var values = new List<KeyValuePair<string, string>>();
            var files = new List<ApiFile>();
            foreach (var part in parts)
            {
                if (part.IsFile)
                    files.Add(new ApiFile(part.Name!, part.FileName, part.ContentType, part.Content));
                else
                    values.Add(new(part.Name!, Encoding.UTF8.GetString(part.Content)));
            }

            return new ApiBody(values, files);
        }

        if (contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var body = await ReadAllAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
            return new ApiBody(ParseUrlEncoded(Encoding.UTF8.GetString(body)), []);
        }

        return ApiBody.None;
    }

    /// <summary>
    /// <c>a=1&amp;b=x+y&amp;a=2</c> with '+' as space and UTF-8 percent escapes; keys without '='
    /// keep an empty value, as Django's <c>keep_blank_values</c> does.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseUrlEncoded(string text)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var pair in text.Split('&'))
        {
            if (pair.Length == 0)
                continue;
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            result.Add(new(Decode(key), Decode(value)));
        }

        return result;
    }

    /// <summary>Reads whatever the client sent and throws it away, so a keep-alive connection stays usable.</summary>
    public static async Task DrainAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while (total <= maxBytes && (read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
                total += read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static async Task<byte[]> ReadAllAsync(Stream body, long? contentLength, long maxBytes, CancellationToken cancellationToken)
    {
        if (contentLength > maxBytes)
            throw new BadRequestException($"The request body is larger than {maxBytes} bytes.");
        // Content-Length is the client's claim; pre-size from it only up to a modest bound.
        using var buffer = new MemoryStream(contentLength is > 0 and var length ? (int)Math.Min(length, InitialBufferLimit) : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                    throw new BadRequestException($"The request body is larger than {maxBytes} bytes.");
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}

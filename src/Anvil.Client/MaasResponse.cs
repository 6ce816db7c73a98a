using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Anvil.Client;

/// <summary>A MAAS API response, fully read into memory.</summary>
public sealed class MaasResponse
{
    private string? _bodyText;

    /// <summary>Creates a response; normally made by <see cref="MaasClient"/>.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="requestUri">The URL that was requested.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="contentType">The full <c>Content-Type</c> header, if any.</param>
    /// <param name="headers">All response and content headers.</param>
    /// <param name="body">The body bytes.</param>
    public MaasResponse(
        HttpMethod method,
        Uri requestUri,
        HttpStatusCode statusCode,
        string? contentType,
        IReadOnlyDictionary<string, IReadOnlyList<string>> headers,
        ReadOnlyMemory<byte> body)
    {
        RequestMethod = method;
        RequestUri = requestUri;
        StatusCode = statusCode;
        ContentType = contentType;
        Headers = headers;
        Body = body;
    }

    /// <summary>The request method.</summary>
    public HttpMethod RequestMethod { get; }

    /// <summary>The URL that was requested, query string included.</summary>
    public Uri RequestUri { get; }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>True for 2xx statuses.</summary>
    public bool IsSuccessStatusCode => (int)StatusCode is >= 200 and <= 299;

    /// <summary>The full <c>Content-Type</c> header, e.g. <c>application/json; charset=utf-8</c>.</summary>
    public string? ContentType { get; }

    /// <summary>The media type without parameters, e.g. <c>application/json</c>.</summary>
    public string? MediaType =>
        ContentType is not null && MediaTypeHeaderValue.TryParse(ContentType, out var parsed) ? parsed.MediaType : null;

    /// <summary>True when the body is labelled <c>application/json</c>.</summary>
    public bool IsJson => string.Equals(MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Response and content headers by name, case-insensitively.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }

    /// <summary>The raw body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body decoded as text (UTF-8 unless the response names another charset).</summary>
    public string BodyText => _bodyText ??= DecodeBody();

    /// <summary>The first value of a header, or null.</summary>
    /// <param name="name">The header name, in any case.</param>
    /// <returns>The first value, or null when the header is absent.</returns>
    public string? GetHeader(string name) =>
        Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Parses the body as JSON.</summary>
    /// <returns>A document the caller disposes.</returns>
    /// <exception cref="JsonException">The body is not valid JSON.</exception>
    public JsonDocument ParseJson() => JsonDocument.Parse(Body);

    /// <summary>Deserializes the body with MAAS's snake_case property names.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <returns>The deserialized value.</returns>
    public T? ReadJson<T>() => JsonSerializer.Deserialize<T>(Body.Span, MaasJson.Options);

    /// <summary>Deserializes the body with the given type information (trimming-safe).</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="typeInfo">Source-generated metadata for <typeparamref name="T"/>.</param>
    /// <returns>The deserialized value.</returns>
    public T? ReadJson<T>(JsonTypeInfo<T> typeInfo) => JsonSerializer.Deserialize(Body.Span, typeInfo);

    /// <summary>Throws <see cref="MaasApiException"/> unless the status is 2xx.</summary>
    /// <returns>This response, for chaining.</returns>
    public MaasResponse EnsureSuccess() => IsSuccessStatusCode ? this : throw new MaasApiException(this);

    private string DecodeBody()
    {
        var encoding = Encoding.UTF8;
        if (ContentType is not null && MediaTypeHeaderValue.TryParse(ContentType, out var parsed) && parsed.CharSet is { } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset label: UTF-8 is what MAAS always sends.
            }
        }

        return encoding.GetString(Body.Span);
    }
}

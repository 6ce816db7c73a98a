using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Api.Framework;

/// <summary>What an action answers. Every result sets a Content-Type, 204 included (the maas CLI needs one).</summary>
public abstract class ApiResult
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string TextContentType = "text/plain; charset=utf-8";

    public abstract Task WriteAsync(HttpContext context);

    /// <summary>200 (or <paramref name="status"/>) with <paramref name="value"/> serialised by <see cref="ApiJson.Options"/>.</summary>
    public static ApiResult Json(object? value, int status = StatusCodes.Status200OK) => new JsonResult(value, status);

    /// <summary>Pre-serialised UTF-8 JSON, for hot paths that write JSON themselves.</summary>
    public static ApiResult JsonUtf8(ReadOnlyMemory<byte> utf8, int status = StatusCodes.Status200OK) =>
        new BytesResult(utf8, JsonContentType, status);

    public static ApiResult Text(string text, int status = StatusCodes.Status200OK, string contentType = TextContentType) =>
        new BytesResult(Encoding.UTF8.GetBytes(text), contentType, status);

    public static ApiResult Bytes(ReadOnlyMemory<byte> content, string contentType, int status = StatusCodes.Status200OK) =>
        new BytesResult(content, contentType, status);

    /// <summary>piston's rc.ALL_OK: 200 with body <c>OK</c>.</summary>
    public static ApiResult Ok { get; } = Text("OK");

    /// <summary>piston's rc.DELETED: 204, empty.</summary>
    public static ApiResult Deleted { get; } = new BytesResult(ReadOnlyMemory<byte>.Empty, TextContentType, StatusCodes.Status204NoContent);

    /// <summary>piston's rc.ACCEPTED: 202.</summary>
    public static ApiResult Accepted { get; } = Text("Accepted", StatusCodes.Status202Accepted);

    private sealed class JsonResult(object? value, int status) : ApiResult
    {
        public override async Task WriteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = JsonContentType;
            await JsonSerializer.SerializeAsync(context.Response.Body, value, value?.GetType() ?? typeof(object), ApiJson.Options, context.RequestAborted);
        }
    }

    private sealed class BytesResult(ReadOnlyMemory<byte> content, string contentType, int status) : ApiResult
    {
        public override async Task WriteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            if (!content.IsEmpty)
            {
                context.Response.ContentLength = content.Length;
                await context.Response.Body.WriteAsync(content, context.RequestAborted);
            }
        }
    }
}

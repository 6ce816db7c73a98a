using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Anvil.Client.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) that records every request and answers like a
/// small MAAS: describe/ (shaped as maas-api.md Appendix A.1), users/?op=whoami (checks the OAuth
/// PLAINTEXT header against <see cref="ValidKey"/>), machines/ (from <see cref="MachinesJson"/>),
/// canned answers, and a JSON echo for everything else.
/// </summary>
public sealed class LoopbackMaasServer : IAsyncDisposable
{
    private const string ApiPrefix = "/MAAS/api/2.0/";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, CannedResponse> _canned = new();

    private LoopbackMaasServer(WebApplication app)
    {
        _app = app;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        ValidKey = new MaasApiKey("ck" + suffix, "tk" + suffix, "ts" + suffix);
    }

    public Uri Url { get; private set; } = null!;

    public Uri ApiUrl => new(Url, "api/2.0/");

    public MaasApiKey ValidKey { get; }

    public string ApiHash { get; set; } = "0123456789abcdef0123456789abcdef01234567";

    public string MachinesJson { get; set; } = "[]";

    public string DescribeJson => SampleDescription.Build(new Uri(Url.GetLeftPart(UriPartial.Authority)), ApiHash);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Requests other than describe/, which login and refresh fetch as a side effect.</summary>
    public IReadOnlyList<RecordedRequest> ApiCalls => [.. _requests.Where(r => r.Path != ApiPrefix + "describe/")];

    public static async Task<LoopbackMaasServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new LoopbackMaasServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        server.Url = new Uri(server._app.Urls.Single().TrimEnd('/') + "/MAAS/");
        return server;
    }

    /// <summary>Answers (method, path, op) with a fixed response. Path is relative to /MAAS/api/2.0/.</summary>
    public void Respond(string method, string path, string? op, int status, string contentType, string body) =>
        _canned[Key(method, ApiPrefix + path, op)] = new CannedResponse(status, contentType, body);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Key(string method, string path, string? op) => $"{method} {path} {op}";

    private async Task HandleAsync(HttpContext context)
    {
        var recorded = await RecordAsync(context.Request);
        _requests.Enqueue(recorded);
        var response = Answer(recorded);
        context.Response.StatusCode = response.Status;
        // Set the header directly so "application/json" goes out without a charset, as MAAS sends it.
        context.Response.Headers.ContentType = response.ContentType;
        context.Response.Headers["X-MAAS-API-Hash"] = ApiHash;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(response.Body));
    }

    private CannedResponse Answer(RecordedRequest request)
    {
        var op = request.QueryValues("op").FirstOrDefault();
        if (_canned.TryGetValue(Key(request.Method, request.Path, op), out var canned))
        {
            return canned;
        }

        return (request.Method, request.Path, op) switch
        {
            ("GET", ApiPrefix + "describe/", null) => new(200, "application/json", DescribeJson),
            ("GET", ApiPrefix + "users/", "whoami") when IsSignedWithValidKey(request) =>
                new(200, "application/json; charset=utf-8", """{"username": "admin", "email": "admin@example.com", "is_superuser": true, "is_local": true, "resource_uri": "/MAAS/api/2.0/users/admin/"}"""),
            ("GET", ApiPrefix + "users/", "whoami") => new(401, "text/plain; charset=utf-8", "Authorization Error: Invalid API key."),
            ("GET", ApiPrefix + "machines/", null) => new(200, "application/json; charset=utf-8", MachinesJson),
            _ => new(200, "application/json; charset=utf-8", $$"""{"echo": "{{request.Method}} {{request.Path}}"}"""),
        };
    }

    private bool IsSignedWithValidKey(RecordedRequest request)
    {
        var header = request.Header("Authorization") ?? "";
        return header.StartsWith("OAuth ", StringComparison.Ordinal)
            && header.Contains($"oauth_consumer_key=\"{ValidKey.ConsumerKey}\"", StringComparison.Ordinal)
            && header.Contains($"oauth_token=\"{ValidKey.TokenKey}\"", StringComparison.Ordinal)
            && header.Contains($"oauth_signature=\"%26{ValidKey.TokenSecret}\"", StringComparison.Ordinal);
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var query = QueryHelpers.ParseQuery(request.QueryString.Value)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")))
            .ToList();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var parts = new List<RecordedPart>();
        var urlEncoded = new List<KeyValuePair<string, string>>();
        if (request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            if (mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                parts.AddRange(await ReadPartsAsync(HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value!, body));
            }
            else if (mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                urlEncoded.AddRange(QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body))
                    .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))));
            }
        }

        return new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            query,
            headers,
            request.ContentType,
            body,
            parts,
            urlEncoded);
    }

    private static async Task<List<RecordedPart>> ReadPartsAsync(string boundary, byte[] body)
    {
        var parts = new List<RecordedPart>();
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content);
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            var partHeaders = (section.Headers ?? []).ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            parts.Add(new RecordedPart(
                HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "",
                disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : null,
                partHeaders,
                content.ToArray()));
        }

        return parts;
    }
}

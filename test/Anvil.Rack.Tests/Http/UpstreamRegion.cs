using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Rack.Tests.Http;

/// <summary>
/// A real Kestrel server playing the region behind the rack's proxy. It answers with a JSON echo of
/// what it received (method, path, query, headers, body length and text); <c>?status=N</c> sets the
/// status, and every answer carries <c>X-Region: &lt;name&gt;</c> and <c>Connection: X-Secret</c> with an
/// <c>X-Secret</c> header that a proxy must drop.
/// </summary>
internal sealed class UpstreamRegion : IAsyncDisposable
{
    private readonly WebApplication app;

    private UpstreamRegion(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<UpstreamRegion> StartAsync(string name)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context => EchoAsync(context, name));
        await app.StartAsync();
        var upstream = new UpstreamRegion(app);
        upstream.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task EchoAsync(HttpContext context, string name)
    {
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var echo = new Echo(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.Length,
            body.Length < 1024 ? Encoding.UTF8.GetString(body.ToArray()) : "");
        if (int.TryParse(context.Request.Query["status"], out var status))
            context.Response.StatusCode = status;
        context.Response.Headers["X-Region"] = name;
        context.Response.Headers["X-Secret"] = "hop";
        context.Response.Headers.Connection = "X-Secret";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(echo));
    }
}

internal sealed record Echo(string Method, string Path, string Query, Dictionary<string, string> Headers, long BodyLength, string Body);

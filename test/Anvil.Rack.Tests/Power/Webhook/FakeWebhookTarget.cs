using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Rack.Tests.Power.Webhook;

/// <summary>
/// A test fake of the thing a webhook power type drives, on loopback HTTP (Kestrel, free port):
/// POST /on and /off change <see cref="Status"/>, GET /status answers <c>{"status": "&lt;Status&gt;"}</c>.
/// <see cref="FailWith"/> makes every answer that status code. Every request is recorded.
/// </summary>
internal sealed class FakeWebhookTarget : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeWebhookTarget(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = null!;

    public string Status { get; set; } = "stopped";

    public int? FailWith { get; set; }

    /// <summary>When set, the off request leaves the machine "stopping" and it reports "stopped" only after this many queries.</summary>
    public int QueriesUntilStopped { get; set; }

    public ConcurrentQueue<(string Method, string Path, string Authorization)> Requests { get; } = new();

    public static async Task<FakeWebhookTarget> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var target = new FakeWebhookTarget(app);
        app.Run(target.HandleAsync);
        await app.StartAsync();
        target.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return target;
    }

    public Uri At(string path) => new(Url, path);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue((request.Method, request.Path.Value ?? "", request.Headers.Authorization.ToString()));
        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }

        switch (request.Method, request.Path.Value)
        {
            case ("POST", "/on"):
                Status = "running";
                break;
            case ("POST", "/off"):
                Status = QueriesUntilStopped > 0 ? "stopping" : "stopped";
                break;
            case ("GET", "/status"):
                if (Status == "stopping" && --QueriesUntilStopped <= 0)
                    Status = "stopped";
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($$"""{"name": "vm-1", "status": "{{Status}}"}""");
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }
}

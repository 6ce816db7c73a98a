using System.Globalization;
using System.Net;
using Anvil.Rack.Boot;
using Anvil.Rack.Metrics;
using Anvil.Rpc.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Http;

/// <summary>
/// The rack's HTTP server (port 5248 in production): boot files and images for bootloaders, the
/// region's <c>/MAAS/metadata/</c> and <c>/MAAS/api/</c> for the environments they boot, and the
/// rack's <c>/metrics</c>. Each request is logged with its status, size and duration and counted in
/// <c>anvil_http_requests_total{status}</c>.
/// </summary>
internal sealed class RackHttpServer : IAsyncDisposable
{
    private readonly RackHttpServerOptions options;
    private readonly RackMetrics metrics;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly BootFileEndpoint bootFiles;
    private readonly RegionProxy proxy;
    private readonly HttpMessageInvoker regionClient;
    private WebApplication? app;

    public RackHttpServer(
        RackHttpServerOptions options,
        IBootFileProvider files,
        IRegionUrls regions,
        RackMetrics metrics,
        ILoggerFactory loggerFactory,
        TimeProvider? time = null,
        HttpMessageHandler? regionHandler = null)
    {
        this.options = options;
        this.metrics = metrics;
        this.loggerFactory = loggerFactory;
        this.time = time ?? TimeProvider.System;
        logger = loggerFactory.CreateLogger<RackHttpServer>();
        bootFiles = new BootFileEndpoint(files, logger);
        regionClient = new HttpMessageInvoker(regionHandler ?? new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        proxy = new RegionProxy(regions, regionClient, logger);
    }

    /// <summary>True from a successful start until stop: what the rack reports as the service's status.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>The addresses actually bound (a listen URL with port 0 gets a free port).</summary>
    public IReadOnlyList<Uri> ListeningUrls { get; private set; } = [];

    public async Task StartAsync(CancellationToken ct)
    {
        if (app is not null)
            throw new InvalidOperationException("The HTTP boot server is already started.");
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, OwnerControlledLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Uploads through the proxy stream to the region, which applies its own limits.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.WebHost.UseUrls(options.ListenUrl);
        var application = builder.Build();
        application.Use(LogAndCountAsync);
        application.Run(DispatchAsync);
        await application.StartAsync(ct);

        app = application;
        ListeningUrls = application.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToArray();
        IsRunning = true;
        RackHttpLog.Listening(logger, string.Join(", ", ListeningUrls));
    }

    public async Task StopAsync(CancellationToken ct)
    {
        var application = app;
        if (application is null)
            return;
        app = null;
        IsRunning = false;
        await application.StopAsync(ct);
        await application.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        regionClient.Dispose();
    }

    private Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (RegionProxy.Handles(path))
            return proxy.HandleAsync(context);
        if (path == "/metrics")
            return MetricsAsync(context);
        return bootFiles.HandleAsync(context);
    }

    private async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        if (!HttpMethods.IsHead(context.Request.Method))
            await context.Response.WriteAsync(metrics.RenderPrometheus(), context.RequestAborted);
    }

    private async Task LogAndCountAsync(HttpContext context, RequestDelegate next)
    {
        var started = time.GetTimestamp();
        var body = new CountingStream(context.Response.Body);
        context.Response.Body = body;
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            RackHttpLog.Unhandled(logger, e, context.Request.Method, context.Request.Path.Value ?? "/");
            if (context.Response.HasStarted)
                context.Abort();
            else
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
        finally
        {
            var status = context.Response.StatusCode;
            metrics.Counter("anvil_http_requests_total", "HTTP requests answered by the rack, by status.", ("status", status.ToString(CultureInfo.InvariantCulture))).Increment();
            metrics.Counter("anvil_http_sent_bytes_total", "Response body bytes sent by the rack's HTTP server.").Add(body.Written);
            var client = context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
            RackHttpLog.Request(
                logger,
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                status,
                body.Written,
                (long)time.GetElapsedTime(started).TotalMilliseconds,
                client?.ToString() ?? "-");
            var path = context.Request.Path.Value ?? "/";
            if (options.Timeline is { } timeline && client is not null && !path.StartsWith("/MAAS/", StringComparison.Ordinal))
                timeline.Record(new BootEventDto(time.GetUtcNow(), options.MacOf(client), "http", context.Request.Method, $"{path} {status}", body.Written));
        }
    }
}

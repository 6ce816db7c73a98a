using System.Net;
using System.Net.Sockets;
using Anvil.Rack.Boot;
using Anvil.Rack.Http;
using Anvil.Rack.Metrics;
using Anvil.Rack.Tests.Boot;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Tests.Http;

/// <summary>
/// A rack HTTP server on a free loopback port, serving a fresh boot tree, answering boot configs
/// from <see cref="FakeRegionBootConfigSource"/> and forwarding <c>/MAAS/</c> to the regions given at start.
/// </summary>
internal sealed class RackHttpServerHarness : IAsyncDisposable
{
    private readonly ILoggerFactory loggerFactory;

    private RackHttpServerHarness(IRegionUrls regions, IBootConfigSource? configs)
    {
        Tree = new TempBootTree();
        Region = new FakeRegionBootConfigSource();
        loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(Log).SetMinimumLevel(LogLevel.Debug));
        Server = new RackHttpServer(
            new RackHttpServerOptions { ListenUrl = "http://127.0.0.1:0" },
            new BootFiles(configs ?? Region, new BootResourcesDirectory(Tree.Root)),
            regions,
            Metrics,
            loggerFactory);
    }

    public TempBootTree Tree { get; }

    public FakeRegionBootConfigSource Region { get; }

    public RackMetrics Metrics { get; } = new();

    public CapturingLoggerProvider Log { get; } = new();

    public RackHttpServer Server { get; }

    public Uri BaseUrl => Server.ListeningUrls[0];

    public HttpClient Client { get; private set; } = null!;

    public static async Task<RackHttpServerHarness> StartAsync(IReadOnlyList<Uri>? regions = null, IBootConfigSource? configs = null)
    {
        var harness = new RackHttpServerHarness(new FixedRegionUrls(regions ?? []), configs);
        await harness.Server.StartAsync(CancellationToken.None);
        harness.Client = new HttpClient { BaseAddress = harness.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        return harness;
    }

    /// <summary>A loopback URL on which nothing listens, so connecting to it is refused.</summary>
    public static Uri RefusingUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await Server.DisposeAsync();
        loggerFactory.Dispose();
        Tree.Dispose();
    }
}

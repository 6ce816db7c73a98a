using System.Net;
using Anvil.Rack.Boot;
using Anvil.Rack.Dhcp;
using Anvil.Rack.Host;
using Anvil.Rack.Http;
using Anvil.Rack.Images;
using Anvil.Rack.Metrics;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Ipmi;
using Anvil.Rack.Power.Qemu;
using Anvil.Rack.Power.Redfish;
using Anvil.Rack.Power.Webhook;
using Anvil.Rack.Tftp;
using Anvil.Rpc;

namespace Anvil.Server;

/// <summary>
/// The rack role inside anvild: the agent that links to the regions and the boot services it feeds.
/// A region+rack process runs it next to the region and links to itself over loopback.
/// </summary>
internal sealed class RackRole : IAsyncDisposable
{
    private readonly RackAgent agent;
    private readonly RackHttpServer http;
    private readonly DhcpServer dhcp;
    private readonly TftpServer tftp;
    private readonly RackImageSync images;
    private readonly HttpClient imagesHttp;

    private RackRole(RackAgent agent, RackHttpServer http, DhcpServer dhcp, TftpServer tftp, RackImageSync images, HttpClient imagesHttp)
    {
        this.agent = agent;
        this.http = http;
        this.dhcp = dhcp;
        this.tftp = tftp;
        this.images = images;
        this.imagesHttp = imagesHttp;
    }

    public RackAgent Agent => agent;

    public DhcpServer Dhcp => dhcp;

    public static async Task<RackRole> StartAsync(AnvildOptions options, IReadOnlyList<string> regions, SharedSecret secret, ILoggerFactory loggers, CancellationToken ct)
    {
        var metrics = new RackMetrics();
        var rackOptions = new RackOptions
        {
            Regions = regions,
            DataDir = Path.Combine(options.DataDir, "rack"),
            Interfaces = options.RackInterfaceNames,
            LeaseBatchSize = options.LeaseBatchSize,
            LeaseFlushInterval = TimeSpan.FromMilliseconds(options.LeaseFlushMs),
        };
        var agent = new RackAgent(rackOptions, secret, metrics, TimeProvider.System, loggers.CreateLogger("Anvil.Rack"));
        Directory.CreateDirectory(options.BootResourcesDir);
        var files = new BootFiles(agent.BootConfig, new BootResourcesDirectory(options.BootResourcesDir));
        var dhcp = new DhcpServer(metrics, agent.Leases, TimeProvider.System, Path.Combine(rackOptions.DataDir, "dhcp"), loggers.CreateLogger<DhcpServer>())
        {
            Timeline = agent.BootEvents,
        };
        var http = new RackHttpServer(
            new RackHttpServerOptions { ListenUrl = options.RackHttpListen, Timeline = agent.BootEvents, MacOf = dhcp.MacOf },
            files, new LinkedRegionUrls(agent.Links), metrics, loggers);
        var tftp = new TftpServer(files, metrics, loggers.CreateLogger<TftpServer>(), new TftpServerOptions
        {
            Endpoint = IPEndPoint.Parse(options.TftpListen),
            Timeline = agent.BootEvents,
            MacOf = dhcp.MacOf,
        });
        // Image files are large: no overall timeout on the client that copies them from the region.
        var imagesHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var images = new RackImageSync(options.BootResourcesDir, new LinkImageSyncRegion(agent), imagesHttp, loggers.CreateLogger<RackImageSync>());
        var role = new RackRole(agent, http, dhcp, tftp, images, imagesHttp);
        agent.Services = role.ServiceStates;
        agent.Power = new PowerActions(
            new PowerDriverRegistry(
            [
                new ManualPowerDriver(),
                new IpmiPowerDriver(new IpmiDriverOptions(), metrics),
                new RedfishPowerDriver(new RedfishDriverOptions(), loggers.CreateLogger<RedfishPowerDriver>()),
                new WebhookPowerDriver(new WebhookDriverOptions(), loggers.CreateLogger<WebhookPowerDriver>()),
                new QemuPowerDriver(new QemuDriverOptions(), loggers.CreateLogger<QemuPowerDriver>()),
            ]),
            TimeSpan.FromSeconds(60));
        agent.DhcpConfigChanged += dhcp.Apply;
        await agent.StartAsync(ct);
        await StartServiceAsync("dhcpd", () => dhcp.StartAsync(ct), loggers);
        await StartServiceAsync("tftp", () => tftp.StartAsync(ct), loggers);
        await StartServiceAsync("http", () => http.StartAsync(ct), loggers);
        images.Start();
        return role;
    }

    /// <summary>A service that cannot start (a port in use) is reported dead; the rest of the rack keeps running.</summary>
    private static async Task StartServiceAsync(string name, Func<Task> start, ILoggerFactory loggers)
    {
        try
        {
            await start();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            RackRoleLog.ServiceFailed(loggers.CreateLogger("Anvil.Rack"), name, e);
        }
    }

    private IReadOnlyList<Anvil.Rpc.Contracts.ServiceStatusDto> ServiceStates() =>
    [
        new("http", http.IsRunning ? "running" : "dead", http.IsRunning ? "" : "not listening"),
        DhcpStatus(),
        new("tftp", tftp.State switch { TftpServerState.Running => "running", TftpServerState.Dead => "dead", _ => "off" }, tftp.StatusInfo),
    ];

    /// <summary>The secret from <c>--secret</c>: hex, or <c>@path</c> to a file holding it.</summary>
    public static SharedSecret ReadSecret(string setting)
    {
        var text = setting.StartsWith('@') ? File.ReadAllText(setting[1..]) : setting;
        return SharedSecret.TryParse(text, out var secret)
            ? secret
            : throw new FormatException($"The shared secret must be at least {SharedSecret.MinimumBytes * 2} hex digits.");
    }

    /// <summary>MAAS shows dhcpd as off when the rack serves no VLAN, running when it does.</summary>
    private Anvil.Rpc.Contracts.ServiceStatusDto DhcpStatus() => dhcp.State switch
    {
        DhcpServerState.Running when dhcp.Interfaces.Count > 0 => new("dhcpd", "running", $"serving {string.Join(", ", dhcp.Interfaces)}"),
        DhcpServerState.Running => new("dhcpd", "off", "no VLAN with DHCP on is served by this rack"),
        DhcpServerState.Failed => new("dhcpd", "dead", "failed; see the rack log"),
        _ => new("dhcpd", "off", ""),
    };

    public async ValueTask DisposeAsync()
    {
        await images.DisposeAsync();
        imagesHttp.Dispose();
        await dhcp.DisposeAsync();
        await tftp.DisposeAsync();
        await http.DisposeAsync();
        await agent.DisposeAsync();
    }
}

internal static partial class RackRoleLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The rack's {Service} service did not start")]
    public static partial void ServiceFailed(ILogger logger, string service, Exception error);
}

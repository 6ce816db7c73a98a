using Anvil.Domain.Ipam;
using Anvil.Rack.Dhcp;
using Anvil.Rack.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Anvil.Rack.Tests.Dhcp;

/// <summary>A <see cref="DhcpServer"/> started in the test process with its own data directory; disposing stops it and removes the directory.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        Server = new DhcpServer(Metrics, Leases, TimeProvider.System, dataDirectory, NullLogger<DhcpServer>.Instance);
    }

    public DhcpServer Server { get; }

    public RackMetrics Metrics { get; } = new();

    public RecordingLeaseSink Leases { get; } = new();

    public string DataDirectory { get; }

    /// <summary>Starts a server on <paramref name="config"/>; <paramref name="dataDirectory"/> reuses a stopped server's directory to restart it.</summary>
    public static async Task<RunningServer> StartAsync(DhcpServerConfig config, string? dataDirectory = null)
    {
        var running = new RunningServer(dataDirectory ?? Path.Combine(Path.GetTempPath(), "anvil-dhcp-data-" + Guid.NewGuid().ToString("n")));
        running.Server.Apply(config);
        await running.Server.StartAsync(CancellationToken.None);
        return running;
    }

    /// <summary>One served subnet on <paramref name="interfaceName"/>: a /20 with the given dynamic range.</summary>
    public static DhcpSubnetConfig Subnet(string cidr, string? interfaceName, string serverAddress, string rangeFirst, string rangeLast) =>
        new(1, IpNetwork.Parse(cidr), interfaceName, IpAddress.Parse(serverAddress),
            [new IpRange(IpAddress.Parse(rangeFirst), IpAddress.Parse(rangeLast))])
        {
            Gateway = IpAddress.Parse(serverAddress),
            DnsServers = [IpAddress.Parse(serverAddress)],
            DomainName = "maas",
        };

    /// <summary>Keeps the data directory when disposed, for a restart test.</summary>
    public bool KeepData { get; set; }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (!KeepData && Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }
}

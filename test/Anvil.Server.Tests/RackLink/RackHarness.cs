using Anvil.Rack.Dhcp;
using Anvil.Rack.Host;
using Anvil.Rack.Metrics;
using Anvil.Rack.RegionLink;
using Anvil.Rpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Anvil.Server.RackLink;

/// <summary>A rack agent in the test process, with its own data directory, linked to the given regions.</summary>
internal sealed class RackHarness : IAsyncDisposable
{
    private readonly string dataDir;

    private RackHarness(RackAgent agent, string dataDir)
    {
        Agent = agent;
        this.dataDir = dataDir;
        agent.DhcpConfigChanged += config =>
        {
            lock (Configs)
                Configs.Add(config);
        };
    }

    public RackAgent Agent { get; }

    public List<DhcpServerConfig> Configs { get; } = [];

    public DhcpServerConfig? LastConfig
    {
        get
        {
            lock (Configs)
                return Configs.LastOrDefault();
        }
    }

    public static async Task<RackHarness> StartAsync(
        IReadOnlyList<string> regions, SharedSecret secret, string[] interfaces, string? hostname = null, string? dataDir = null, RegionLinkOptions? links = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), $"anvil-rack-{Guid.NewGuid():N}");
        var options = new RackOptions
        {
            Regions = regions,
            DataDir = dataDir,
            Interfaces = interfaces,
            Hostname = hostname ?? $"rack-{Guid.NewGuid():N}"[..14],
            LeaseFlushInterval = TimeSpan.FromMilliseconds(100),
            ConfigPollInterval = TimeSpan.FromSeconds(1),
        };
        var agent = new RackAgent(options, secret, new RackMetrics(), TimeProvider.System, NullLogger.Instance, links ?? new RegionLinkOptions { BackoffMax = TimeSpan.FromMilliseconds(500) });
        await agent.StartAsync(CancellationToken.None);
        return new RackHarness(agent, dataDir);
    }

    public async Task WaitRegisteredAsync() => await WaitUntilAsync(() => Agent.IsRegistered, "the rack to register");

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, int seconds = 30)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        if (Directory.Exists(dataDir))
            Directory.Delete(dataDir, recursive: true);
    }
}

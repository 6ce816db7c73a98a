using Anvil.Rack.Host;
using Anvil.Rack.Metrics;
using Anvil.Rpc;

namespace Anvil.Server;

/// <summary>
/// The rack role inside anvild: the agent that links to the regions and the boot services it feeds.
/// A region+rack process runs it next to the region and links to itself over loopback.
/// </summary>
internal sealed class RackRole : IAsyncDisposable
{
    private readonly RackAgent agent;

    private RackRole(RackAgent agent) => this.agent = agent;

    public RackAgent Agent => agent;

    public static async Task<RackRole> StartAsync(AnvildOptions options, IReadOnlyList<string> regions, SharedSecret secret, ILoggerFactory loggers, CancellationToken ct)
    {
        var metrics = new RackMetrics();
        var rackOptions = new RackOptions
        {
            Regions = regions,
            DataDir = Path.Combine(options.DataDir, "rack"),
            Interfaces = options.RackInterfaceNames,
        };
        var agent = new RackAgent(rackOptions, secret, metrics, TimeProvider.System, loggers.CreateLogger("Anvil.Rack"));
        await agent.StartAsync(ct);
        return new RackRole(agent);
    }

    /// <summary>The secret from <c>--secret</c>: hex, or <c>@path</c> to a file holding it.</summary>
    public static SharedSecret ReadSecret(string setting)
    {
        var text = setting.StartsWith('@') ? File.ReadAllText(setting[1..]) : setting;
        return SharedSecret.TryParse(text, out var secret)
            ? secret
            : throw new FormatException($"The shared secret must be at least {SharedSecret.MinimumBytes * 2} hex digits.");
    }

    public ValueTask DisposeAsync() => agent.DisposeAsync();
}

using Anvil.Rack.Host;
using Anvil.Rack.Metrics;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Webhook;
using Anvil.Rack.RegionLink;
using Anvil.Server.Support;
using Microsoft.Extensions.Logging;

namespace Anvil.Server.RackLink;

/// <summary>
/// A rack agent in the test process that drives webhook BMCs, logging through the test's loggers,
/// with the re-read pauses after a power change the test chooses (MAAS's 35 s schedule by default).
/// </summary>
internal sealed class RackPowerRack : IAsyncDisposable
{
    private readonly string dataDir;

    private RackPowerRack(RackAgent agent, string dataDir)
    {
        Agent = agent;
        this.dataDir = dataDir;
    }

    public RackAgent Agent { get; }

    public static async Task<RackPowerRack> StartAsync(LinkedRegion region, ILoggerFactory loggers, IReadOnlyList<TimeSpan>? confirmationWaits = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"anvil-rackpower-{Guid.NewGuid():N}");
        var options = new RackOptions
        {
            Regions = [region.Url],
            DataDir = dataDir,
            Interfaces = ["none"],
            Hostname = $"rack-{Guid.NewGuid():N}"[..14],
        };
        var agent = new RackAgent(options, await region.SecretAsync(), new RackMetrics(), TimeProvider.System, loggers.CreateLogger("Anvil.Rack"), new RegionLinkOptions { BackoffMax = TimeSpan.FromMilliseconds(500) })
        {
            Power = new PowerActions(
                new PowerDriverRegistry([new ManualPowerDriver(), new WebhookPowerDriver(new WebhookDriverOptions(), loggers.CreateLogger<WebhookPowerDriver>())]),
                TimeSpan.FromSeconds(30))
            {
                ConfirmationWaits = confirmationWaits ?? PowerActions.MaasConfirmationWaits,
            },
        };
        await agent.StartAsync(CancellationToken.None);
        var rack = new RackPowerRack(agent, dataDir);
        await RackHarness.WaitUntilAsync(() => agent.IsRegistered, "the rack to register");
        return rack;
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        if (Directory.Exists(dataDir))
            Directory.Delete(dataDir, recursive: true);
    }
}

using Anvil.Dns.Bind;
using Anvil.Dns.Tsig;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Dns;

/// <summary>
/// This region's own named: its configuration follows the database's zones and DNS settings, it
/// is started on first use and restarted if it dies. Records never go through here; they arrive as
/// dynamic updates from whichever region publishes.
/// </summary>
internal sealed partial class LocalNamed(DnsOptions options, ILogger<LocalNamed> logger) : IAsyncDisposable
{
    private readonly TsigKey rndcKey = TsigKey.Generate("rndc-anvil");
    private NamedServer? server;

    /// <summary>Writes the configuration for this zone set and these settings, starting or reconfiguring named as needed.</summary>
    public async Task ApplyAsync(NamedZoneSet zones, DnsSettings settings, TsigKey updateKey, CancellationToken ct)
    {
        var named = new NamedOptions
        {
            Directory = options.NamedDirectory,
            Listen = options.Listen,
            ControlPort = options.ControlPort,
            UpdateKey = updateKey,
            RndcKey = rndcKey,
            Forwarders = settings.Forwarders,
            DnssecValidation = settings.DnssecValidation,
            TrustedAcl = settings.TrustedAcl,
        };
        var changed = NamedConfigWriter.Write(named, zones);
        if (server is { HasExited: true })
        {
            Restarting(logger);
            await server.DisposeAsync();
            server = null;
        }

        if (server is null)
        {
            server = await NamedServer.StartAsync(named, ct);
            Started(logger, string.Join(", ", options.Listen), zones.Primaries.Count);
        }
        else if (changed)
        {
            await new Rndc(named).ReconfigAsync(ct);
            Reconfigured(logger, zones.Primaries.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS: named started on {Listen} with {Zones} zone(s)")]
    private static partial void Started(ILogger logger, string listen, int zones);

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS: named reconfigured, {Zones} zone(s)")]
    private static partial void Reconfigured(ILogger logger, int zones);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS: named exited; starting it again")]
    private static partial void Restarting(ILogger logger);
}

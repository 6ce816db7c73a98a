namespace Anvil.Rack.Http;

/// <summary>Where the rack's HTTP boot server listens; production racks use port 5248 on every address.</summary>
internal sealed record RackHttpServerOptions
{
    public string ListenUrl { get; init; } = "http://*:5248";

    /// <summary>Where boot file fetches go for the boot timeline (docs/architecture/timeline.md); none when null. Proxied /MAAS requests are the region's to record.</summary>
    public Timeline.IBootEventSink? Timeline { get; init; }

    /// <summary>The MAC behind a client address (the rack's DHCP leases), for the timeline.</summary>
    public Func<System.Net.IPAddress, string?> MacOf { get; init; } = _ => null;
}

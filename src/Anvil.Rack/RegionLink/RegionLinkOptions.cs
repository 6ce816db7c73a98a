namespace Anvil.Rack.RegionLink;

/// <summary>How the rack keeps its links to the regions.</summary>
public sealed record RegionLinkOptions
{
    /// <summary>Links kept open to each region even when idle.</summary>
    public int MinConnections { get; init; } = 1;

    /// <summary>Most links to one region; the pool bursts up to this under load.</summary>
    public int MaxConnections { get; init; } = 4;

    /// <summary>Another link is opened when every open one has at least this many calls in flight.</summary>
    public int BurstWhenInFlight { get; init; } = 4;

    /// <summary>A link above the minimum that has carried no call for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call waits for some region to be reachable before it fails.</summary>
    public TimeSpan ConnectWait { get; init; } = TimeSpan.FromSeconds(5);
}

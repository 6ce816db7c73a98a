namespace Anvil.Rack.Host;

/// <summary>The rack role's settings.</summary>
public sealed record RackOptions
{
    /// <summary>Region URLs to link to first (<c>http://10.0.0.1:5240/MAAS</c>); regions name the others.</summary>
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>Where the rack keeps its identity, its last config, and the DHCP lease journal.</summary>
    public required string DataDir { get; init; }

    /// <summary>Interfaces to report and serve; empty means every interface except loopback.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    /// <summary>The hostname the rack registers with; empty means the host's name.</summary>
    public string Hostname { get; init; } = "";

    public TimeSpan ConfigPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ServiceReportInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Lease events flushed as soon as this many are queued…</summary>
    public int LeaseBatchSize { get; init; } = 100;

    /// <summary>…or when this much time has passed since the first of them was queued.</summary>
    public TimeSpan LeaseFlushInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a boot answer is reused while the region is reachable; without a region the last
    /// answer is used. Zero by default: a machine that powers off and is booted again at once (an
    /// enlisted machine commissioned through IPMI, an installer rebooting) must get its new purpose,
    /// and one region call per config file is cheap.
    /// </summary>
    public TimeSpan BootConfigCacheTime { get; init; } = TimeSpan.Zero;
}

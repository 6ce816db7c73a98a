using System.Net;

namespace Anvil.Region.Dns;

/// <summary>
/// How this region takes part in DNS. Every region runs (or drives) one named and registers it;
/// the one region holding the DNS lock publishes records to every registered named.
/// </summary>
public sealed record DnsOptions
{
    /// <summary>Names this region in <c>dns_server</c>.</summary>
    public required string RegionName { get; init; }

    /// <summary>Where the embedded named keeps its configuration, keys, zone files and journals.</summary>
    public required string NamedDirectory { get; init; }

    /// <summary>Where named answers queries (and accepts updates): e.g. 0.0.0.0:53, or 127.0.0.1:5353 in tests.</summary>
    public required IReadOnlyList<IPEndPoint> Listen { get; init; }

    /// <summary>rndc's port on 127.0.0.1 (MAAS uses 954).</summary>
    public int ControlPort { get; init; } = 954;

    /// <summary>The endpoint other regions send this named its updates at.</summary>
    public required IPEndPoint ServerEndpoint { get; init; }

    /// <summary>The host part of the zones' NS name; the name itself is <c>&lt;host&gt;.&lt;default domain&gt;</c>.</summary>
    public string NameServerHost { get; init; } = "ns";

    /// <summary>Glue for the NS name in the default domain's zone.</summary>
    public IReadOnlyList<IPAddress> NameServerAddresses { get; init; } = [];

    /// <summary>How often a standby region tries to take the DNS lock.</summary>
    public TimeSpan LeaderRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How soon a cycle that failed for some server runs again without a new change.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often every zone is read back from every server and reconciled, to heal drift.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Registered servers not refreshed for this long are left out (their region is gone).</summary>
    public TimeSpan ServerMaxAge { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Time allowed for one UPDATE exchange or zone transfer.</summary>
    public TimeSpan ExchangeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Changes arriving this close together are published together.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(20);
}

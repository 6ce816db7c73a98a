using System.Net;

namespace Anvil.Domain.Netplan;

/// <summary>
/// A machine's configured network as the deploy renders it: its interfaces with their links,
/// the static routes of the subnets it is on, and the resolvers and search domains MAAS hands
/// out (the region/rack DNS servers, then the machine's domain and the other domains).
/// Independent of storage: the caller loads it and <see cref="NetplanRenderer"/> turns it into YAML.
/// </summary>
public sealed record MachineNetwork
{
    public required IReadOnlyList<InterfaceConfig> Interfaces { get; init; }

    /// <summary>
    /// Static routes of the region; each lands on the interfaces that have a link on its source
    /// subnet, and a route whose source subnet the machine is not on is left out.
    /// </summary>
    public IReadOnlyList<StaticRouteConfig> Routes { get; init; } = [];

    /// <summary>Resolvers added after each subnet's own DNS servers (the region/rack controllers).</summary>
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];

    /// <summary>In order: the machine's domain first, then the other domains.</summary>
    public IReadOnlyList<string> SearchDomains { get; init; } = [];
}

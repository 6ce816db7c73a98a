using System.Net;

namespace Anvil.Domain.Netplan;

/// <summary>What the rendering needs of a subnet a link is on.</summary>
public sealed record SubnetConfig
{
    public required IPNetwork Cidr { get; init; }

    public IPAddress? Gateway { get; init; }

    /// <summary>The subnet's own resolvers, listed before the machine-wide ones.</summary>
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];
}

using System.Net;

namespace Anvil.Domain.Netplan;

/// <summary>One link of an interface to a subnet.</summary>
public sealed record LinkConfig
{
    public required LinkMode Mode { get; init; }

    /// <summary>Required for static and auto links; rendered with the subnet's prefix length.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>Required for static and auto links; optional for DHCP (it picks DHCPv4 or DHCPv6) and link-up.</summary>
    public SubnetConfig? Subnet { get; init; }

    /// <summary>
    /// Whether this link carries the machine's default route for its address family; at most one
    /// link per family may, and it needs a subnet with a gateway.
    /// </summary>
    public bool IsDefaultGateway { get; init; }
}

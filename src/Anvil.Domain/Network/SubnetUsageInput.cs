using Anvil.Domain.Ipam;

namespace Anvil.Domain.Network;

/// <summary>Everything that decides which addresses of a subnet are in use, as read from the database.</summary>
public sealed record SubnetUsageInput(
    IpNetwork Cidr,
    bool Managed,
    IpAddress? GatewayIp,
    IReadOnlyList<IpAddress> DnsServers,
    IReadOnlyList<UsageRange> Ranges,
    IReadOnlyList<UsedAddress> Addresses,
    IReadOnlyList<IpAddress> RouteGateways);

/// <summary>An IP range of the subnet; <see cref="Type"/> is <c>dynamic</c> or <c>reserved</c>.</summary>
public sealed record UsageRange(long Id, string Type, IpAddress Start, IpAddress End);

/// <summary>An address row of the subnet; discovered (observed) addresses count for some purposes only.</summary>
public sealed record UsedAddress(IpAddress Ip, bool Discovered);

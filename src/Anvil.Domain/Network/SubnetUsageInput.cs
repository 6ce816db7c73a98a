using System.Net;

namespace Anvil.Domain.Network;

/// <summary>Everything that decides which addresses of a subnet are in use, as read from the database.</summary>
public sealed record SubnetUsageInput(
    IpNetwork Cidr,
    bool Managed,
    IPAddress? GatewayIp,
    IReadOnlyList<IPAddress> DnsServers,
    IReadOnlyList<UsageRange> Ranges,
    IReadOnlyList<UsedAddress> Addresses,
    IReadOnlyList<IPAddress> RouteGateways);

/// <summary>An IP range of the subnet; <see cref="Type"/> is <c>dynamic</c> or <c>reserved</c>.</summary>
public sealed record UsageRange(long Id, string Type, IPAddress Start, IPAddress End);

/// <summary>An address row of the subnet; discovered (observed) addresses count for some purposes only.</summary>
public sealed record UsedAddress(IPAddress Ip, bool Discovered);

using System.Net;
using Anvil.Domain.Dns;

namespace Anvil.Dns.Bind;

/// <summary>Every zone named should hold: the zones Anvil is primary for and the domains it forwards.</summary>
public sealed record NamedZoneSet(IReadOnlyList<NamedZone> Primaries, IReadOnlyList<DnsForwardZone> Forwards);

/// <summary>
/// A zone Anvil is primary for. <c>NameServer</c> is the FQDN of the apex NS record; its
/// <c>NameServerAddresses</c> become glue A/AAAA records when that name lies inside the zone.
/// <c>Ttl</c> is the zone's <c>$TTL</c> and SOA minimum. <c>Serial</c> is the SOA serial a new zone
/// file starts with (later serials arrive with the dynamic updates).
/// </summary>
public sealed record NamedZone(string Name, string NameServer, IReadOnlyList<IPAddress> NameServerAddresses, int Ttl)
{
    public uint Serial { get; init; } = 1;
}

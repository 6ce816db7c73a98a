using System.Net;

namespace Anvil.Domain.Dns;

/// <summary>What BIND should hold: the zones Anvil is authoritative for, with their records, and the forwarded domains.</summary>
public sealed record DnsPlan(IReadOnlyList<DnsZonePlan> Zones, IReadOnlyList<DnsForwardZone> ForwardZones);

public enum DnsZoneKind
{
    Forward,
    Reverse,
}

/// <summary>
/// One authoritative zone. <c>Name</c> is lower case without the trailing dot (<c>maas</c>,
/// <c>0.168.192.in-addr.arpa</c>, <c>64-26.0.0.10.in-addr.arpa</c>); <c>Ttl</c> is the zone's
/// <c>$TTL</c> and SOA minimum. The SOA and apex NS records are not in <c>Records</c>: the zone file
/// carries them.
/// </summary>
public sealed record DnsZonePlan(string Name, DnsZoneKind Kind, int Ttl, IReadOnlyList<DnsRecordPlan> Records);

/// <summary>
/// One resource record. <c>Name</c> is the absolute owner name, lower case, without the trailing
/// dot; <c>Data</c> is the presentation form with absolute names ending in a dot
/// (<c>10.0.0.5</c>, <c>host.maas.</c>, <c>10 mail.maas.</c>).
/// </summary>
public sealed record DnsRecordPlan(string Name, string Type, string Data, int Ttl);

/// <summary>A non-authoritative domain whose queries BIND forwards to the domain's servers.</summary>
public sealed record DnsForwardZone(string Name, IReadOnlyList<IPAddress> Servers);

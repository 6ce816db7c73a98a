using System.Net;

namespace Anvil.Domain.Dns;

/// <summary>
/// Everything DNS publishing needs from the database, read in one snapshot: the planner turns it
/// into zones and records (<see cref="DnsPlan"/>) without touching the database again.
/// </summary>
public sealed record DnsSnapshot(
    int DefaultTtl,
    IReadOnlyList<DnsDomainRow> Domains,
    IReadOnlyList<DnsSubnetRow> Subnets,
    IReadOnlyList<DnsNodeAddressRow> NodeAddresses,
    IReadOnlyList<DnsResourceAddressRow> ResourceAddresses,
    IReadOnlyList<DnsResourceDataRow> ResourceData);

/// <summary>A domain; authoritative ones become forward zones, others are forwarded to their servers.</summary>
public sealed record DnsDomainRow(long Id, string Name, bool Authoritative, int? Ttl, bool IsDefault, IReadOnlyList<IPAddress> ForwardServers);

/// <summary>A subnet; <c>RdnsMode</c> 0 = no reverse zone, 1 = enabled, 2 = RFC 2317 (glue for prefixes longer than /24).</summary>
public sealed record DnsSubnetRow(long Id, IPNetwork Cidr, int RdnsMode);

/// <summary>
/// One address of a node (machine, device or controller) on one of its interfaces.
/// <c>IsBootInterface</c> is true for the boot interface's addresses and those of the bonds or
/// bridges built on it: they are published under the node's hostname, the others under
/// <c>&lt;interface&gt;.&lt;hostname&gt;</c>. <c>Discovered</c> marks an address seen in a DHCP lease
/// (MAAS's DISCOVERED), which is left out of the interface names once the node has any other address.
/// A node's rows come in MAAS's order of preference (boot chain first, then by interface kind,
/// allocation type and age): the first of each family is the one the hostname gets.
/// </summary>
public sealed record DnsNodeAddressRow(long NodeId, string Hostname, long DomainId, int? AddressTtl, string InterfaceName, bool IsBootInterface, IPAddress Ip, bool Discovered = false);

/// <summary>An address linked to a DNS resource (API-made or lease-derived). <c>Name</c> may be <c>@</c>.</summary>
public sealed record DnsResourceAddressRow(string Name, long DomainId, int? AddressTtl, IPAddress Ip);

/// <summary>A DNS resource's other data (CNAME, MX, NS, SRV, SSHFP, TXT, ...), in presentation form as the API stored it.</summary>
public sealed record DnsResourceDataRow(string Name, long DomainId, string RrType, string RrData, int? Ttl);

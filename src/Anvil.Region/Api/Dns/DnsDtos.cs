using Anvil.Data.Dns;
using Anvil.Region.Api.Network;
using Anvil.Region.Api.Resources;

namespace Anvil.Region.Api.Dns;

/// <summary>A domain as MAAS renders it (§3.13), plus <c>forward_dns_servers</c>.</summary>
internal sealed record DomainDto(
    long Id,
    string Name,
    int? Ttl,
    bool Authoritative,
    long ResourceRecordCount,
    bool IsDefault,
    IReadOnlyList<string> ForwardDnsServers,
    string ResourceUri)
{
    public static DomainDto From(DomainRecord d) =>
        new(d.Id, d.Name, d.Ttl, d.Authoritative, d.ResourceRecordCount, d.IsDefault, d.ForwardDnsServers, ResourceUris.Item("domains", d.Id));
}

/// <summary>A non-address record (MAAS's DNSData).</summary>
internal sealed record DnsResourceRecordDto(long Id, string Fqdn, int? Ttl, string Rrtype, string Rrdata, string ResourceUri)
{
    public static DnsResourceRecordDto From(DnsDataRecord d) =>
        new(d.Id, d.Fqdn, d.Ttl, d.RrType, d.RrData, ResourceUris.Item("dnsresourcerecords", d.Id));
}

/// <summary>A DNS resource with its addresses (as <c>ipaddresses/</c> renders them) and its other records.</summary>
internal sealed record DnsResourceDto(
    long Id,
    string Fqdn,
    int? AddressTtl,
    IReadOnlyList<IpAddressDto> IpAddresses,
    IReadOnlyList<DnsResourceRecordDto> ResourceRecords,
    string ResourceUri);

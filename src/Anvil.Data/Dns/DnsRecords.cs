namespace Anvil.Data.Dns;

/// <summary>A domain row; <c>ResourceRecordCount</c> counts its resources' records and addresses.</summary>
public sealed record DomainRecord(
    long Id,
    string Name,
    bool Authoritative,
    int? Ttl,
    bool IsDefault,
    string[] ForwardDnsServers,
    long ResourceRecordCount);

/// <summary>What a domain create or update writes.</summary>
public sealed record DomainValues(string Name, bool Authoritative, int? Ttl, string[] ForwardDnsServers);

/// <summary>A DNS resource: a name in a domain with linked addresses and other records.</summary>
public sealed record DnsResourceRecord(long Id, string Name, long DomainId, string DomainName, int? AddressTtl, long[] AddressIds)
{
    /// <summary>MAAS's fqdn: <c>@</c> names the domain itself.</summary>
    public string Fqdn => Name == "@" ? DomainName : $"{Name}.{DomainName}";
}

/// <summary>A non-address record (MAAS's DNSData) of a DNS resource.</summary>
public sealed record DnsDataRecord(long Id, long DnsResourceId, string Name, string DomainName, string RrType, string RrData, int? Ttl)
{
    public string Fqdn => Name == "@" ? DomainName : $"{Name}.{DomainName}";
}

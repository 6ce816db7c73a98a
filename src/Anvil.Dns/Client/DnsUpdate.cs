using Anvil.Dns.Wire;

namespace Anvil.Dns.Client;

/// <summary>One change to a zone: add or delete one record.</summary>
public sealed record DnsUpdate(DnsUpdateAction Action, DnsRecord Record)
{
    public static DnsUpdate Add(DnsRecord record) => new(DnsUpdateAction.Add, record);

    public static DnsUpdate Delete(DnsRecord record) => new(DnsUpdateAction.Delete, record);
}

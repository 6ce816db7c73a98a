namespace Anvil.Dns.Wire;

/// <summary>The record classes UPDATE and TSIG use (RFC 1035, RFC 2136 §2.5).</summary>
internal enum DnsClass : ushort
{
    IN = 1,
    NONE = 254,
    ANY = 255,
}

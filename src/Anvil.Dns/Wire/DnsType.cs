namespace Anvil.Dns.Wire;

/// <summary>Resource record types Anvil publishes or meets on the wire (IANA DNS parameters). Other values may appear as <c>TYPEnnn</c>.</summary>
public enum DnsType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    SSHFP = 44,
    TSIG = 250,
    IXFR = 251,
    AXFR = 252,
    ANY = 255,
    CAA = 257,
}

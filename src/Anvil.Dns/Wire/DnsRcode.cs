namespace Anvil.Dns.Wire;

/// <summary>Response codes (RFC 1035, RFC 2136 §2.2); TSIG's extended errors are in <see cref="Anvil.Dns.Tsig.TsigError"/>.</summary>
public enum DnsRcode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    YXDomain = 6,
    YXRRSet = 7,
    NXRRSet = 8,
    NotAuth = 9,
    NotZone = 10,
}

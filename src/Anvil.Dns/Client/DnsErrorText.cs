using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Client;

/// <summary>What an RCODE or TSIG error means, in the words an operator needs to fix it.</summary>
internal static class DnsErrorText
{
    public static string Rcode(DnsRcode rcode, string zone) => rcode switch
    {
        DnsRcode.Refused => "the server refused it (REFUSED): the zone's allow-update / allow-transfer does not admit this key, or a record failed named's checks (e.g. an MX or NS target in the zone without an address); named's log says which",
        DnsRcode.NotAuth => $"the server is not authoritative for zone {zone} (NOTAUTH)",
        DnsRcode.NotZone => $"a record's name is not inside zone {zone} (NOTZONE)",
        DnsRcode.FormErr => "the server could not parse the message (FORMERR)",
        DnsRcode.ServFail => "the server failed to apply it (SERVFAIL), e.g. because an RRset would exceed max-records-per-type (100 by default in BIND 9.18); named's log says why",
        DnsRcode.NotImp => "the server does not implement the operation (NOTIMP)",
        DnsRcode.NXDomain => "the name does not exist (NXDOMAIN)",
        DnsRcode.YXDomain or DnsRcode.YXRRSet or DnsRcode.NXRRSet => $"a prerequisite did not hold ({rcode.ToString().ToUpperInvariant()})",
        _ => $"the server answered with RCODE {(int)rcode}",
    };

    public static string Tsig(TsigError error, TsigKey key) => error switch
    {
        TsigError.BadKey => $"the TSIG key '{key.Name}' is not known to the server, or not with algorithm {key.BindAlgorithmName} (BADKEY)",
        TsigError.BadSig => $"the TSIG signature did not verify (BADSIG): the secret of key '{key.Name}' differs from the server's",
        TsigError.BadTime => "the TSIG time signed is outside the fudge window (BADTIME): the clocks of Anvil and the server differ by more than 300 s",
        TsigError.BadTrunc => "the server rejected the truncated TSIG MAC (BADTRUNC)",
        TsigError.BadAlg => $"the server does not support {key.BindAlgorithmName} (BADALG)",
        _ => $"the server reported TSIG error {(int)error}",
    };

    public static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
}

namespace Anvil.Dns.Tsig;

/// <summary>The TSIG error field (RFC 8945 §5.2, §5.3; RFC 2845 for BADMODE and the rest).</summary>
public enum TsigError : ushort
{
    NoError = 0,

    /// <summary>The MAC did not verify: the secret (or algorithm) differs.</summary>
    BadSig = 16,

    /// <summary>The key name or algorithm is not known to the other side.</summary>
    BadKey = 17,

    /// <summary>The time signed is outside the fudge window: the clocks differ.</summary>
    BadTime = 18,
    BadMode = 19,
    BadName = 20,
    BadAlg = 21,
    BadTrunc = 22,
}

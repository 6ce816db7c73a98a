namespace Anvil.Dns.Client;

/// <summary>What went wrong talking to the DNS server.</summary>
public enum DnsFailure
{
    /// <summary>The server answered with an error RCODE (REFUSED, NOTAUTH, NOTZONE …).</summary>
    Rejected,

    /// <summary>A TSIG problem: the server rejected our signature (BADKEY, BADSIG, BADTIME) or its signature did not verify.</summary>
    Signature,

    /// <summary>No answer within the client's timeout.</summary>
    Timeout,

    /// <summary>The TCP connection could not be made or broke.</summary>
    Connection,

    /// <summary>The server's answer was malformed or did not belong to the request.</summary>
    InvalidResponse,
}

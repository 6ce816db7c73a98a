using System.Net;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Client;

/// <summary>A failed exchange with a DNS server; the message says what happened in words an operator can act on.</summary>
public abstract class DnsServerException : Exception
{
    private protected DnsServerException(string message, IPEndPoint server, string zone, DnsFailure failure, DnsRcode rcode, TsigError? tsigError, Exception? inner)
        : base(message, inner)
    {
        Server = server;
        Zone = zone;
        Failure = failure;
        Rcode = rcode;
        TsigError = tsigError;
    }

    public IPEndPoint Server { get; }

    public string Zone { get; }

    public DnsFailure Failure { get; }

    /// <summary>The server's RCODE, or <see cref="DnsRcode.NoError"/> when it gave none (timeout, connection failure).</summary>
    public DnsRcode Rcode { get; }

    /// <summary>The TSIG error the server reported (BADKEY, BADSIG, BADTIME …), or null.</summary>
    public TsigError? TsigError { get; }
}

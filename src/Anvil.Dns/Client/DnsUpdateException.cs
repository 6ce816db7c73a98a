using System.Net;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Client;

/// <summary>An RFC 2136 UPDATE was refused, not answered or not verifiable.</summary>
public sealed class DnsUpdateException : DnsServerException
{
    internal DnsUpdateException(string message, IPEndPoint server, string zone, DnsFailure failure, DnsRcode rcode = DnsRcode.NoError, TsigError? tsigError = null, Exception? inner = null)
        : base(message, server, zone, failure, rcode, tsigError, inner)
    {
    }

    /// <summary>How many UPDATE messages of the call the server had applied before this one failed.</summary>
    public int MessagesApplied { get; init; }
}

using System.Net;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Client;

/// <summary>An AXFR was refused, not answered, cut short or not verifiable.</summary>
public sealed class ZoneTransferException : DnsServerException
{
    internal ZoneTransferException(string message, IPEndPoint server, string zone, DnsFailure failure, DnsRcode rcode = DnsRcode.NoError, TsigError? tsigError = null, Exception? inner = null)
        : base(message, server, zone, failure, rcode, tsigError, inner)
    {
    }
}

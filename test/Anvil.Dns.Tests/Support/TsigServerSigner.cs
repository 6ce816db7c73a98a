using Anvil.Dns.Tsig;

namespace Anvil.Dns.Tests.Support;

/// <summary>
/// Signs response messages the way a server does (RFC 8945 §5.3): the first over the request MAC
/// and all variables, later ones over the prior MAC, the unsigned messages since and the timers.
/// Lets tests build multi-message answers with unsigned messages in between, which BIND never sends.
/// </summary>
internal sealed class TsigServerSigner(TsigKey key, byte[] requestMac, ushort originalId, ulong timeSigned)
{
    private readonly List<byte> pending = [];
    private byte[] priorMac = requestMac;
    private bool first = true;

    public byte[] Sign(byte[] unsignedMessage)
    {
        pending.AddRange(unsignedMessage);
        var variables = new TsigRecord(key.Name + ".", key.WireAlgorithmName, timeSigned, 300, [], originalId, TsigError.NoError, []);
        var mac = TsigMac.Compute(key, priorMac, hasPriorMac: true, [.. pending], variables, timersOnly: !first);
        first = false;
        priorMac = mac;
        pending.Clear();
        return TsigMac.Append(unsignedMessage, variables with { Mac = mac });
    }

    /// <summary>Sends a message unsigned; it is still covered by the next signed one.</summary>
    public byte[] LeaveUnsigned(byte[] unsignedMessage)
    {
        pending.AddRange(unsignedMessage);
        return unsignedMessage;
    }
}

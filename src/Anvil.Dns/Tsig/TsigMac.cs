using System.Buffers.Binary;
using System.Security.Cryptography;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Tsig;

/// <summary>The MAC computation of RFC 8945 §4.3.</summary>
internal static class TsigMac
{
    /// <summary>
    /// HMAC over: the prior MAC with its length (responses and later messages of a transfer; empty
    /// for a request), the DNS message bytes as they were before the TSIG was added, and the TSIG
    /// variables, or only the timers for a later message of a multi-message response (§5.3.1).
    /// </summary>
    public static byte[] Compute(TsigKey key, ReadOnlySpan<byte> priorMac, bool hasPriorMac, ReadOnlySpan<byte> messages, TsigRecord variables, bool timersOnly)
    {
        using var hmac = IncrementalHash.CreateHMAC(key.HashAlgorithm, key.Secret);
        Span<byte> field = stackalloc byte[8];
        if (hasPriorMac)
        {
            BinaryPrimitives.WriteUInt16BigEndian(field, (ushort)priorMac.Length);
            hmac.AppendData(field[..2]);
            hmac.AppendData(priorMac);
        }

        hmac.AppendData(messages);
        if (!timersOnly)
        {
            // Canonical (lower case, uncompressed) key name, class ANY and TTL 0.
            hmac.AppendData(DnsNames.ToWire(variables.KeyName));
            BinaryPrimitives.WriteUInt16BigEndian(field, (ushort)DnsClass.ANY);
            BinaryPrimitives.WriteUInt32BigEndian(field[2..], 0);
            hmac.AppendData(field[..6]);
            hmac.AppendData(DnsNames.ToWire(variables.Algorithm));
        }

        BinaryPrimitives.WriteUInt16BigEndian(field, (ushort)(variables.TimeSigned >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(field[2..], (uint)variables.TimeSigned);
        BinaryPrimitives.WriteUInt16BigEndian(field[6..], variables.Fudge);
        hmac.AppendData(field);
        if (!timersOnly)
        {
            BinaryPrimitives.WriteUInt16BigEndian(field, (ushort)variables.Error);
            BinaryPrimitives.WriteUInt16BigEndian(field[2..], (ushort)variables.OtherData.Length);
            hmac.AppendData(field[..4]);
            hmac.AppendData(variables.OtherData);
        }

        return hmac.GetHashAndReset();
    }

    /// <summary>
    /// A signed message as it was before signing: the TSIG record cut off, ARCOUNT one less and the
    /// ID put back to the original ID (RFC 8945 §4.3.1).
    /// </summary>
    public static byte[] Unsigned(ReadOnlySpan<byte> raw, DnsMessage parsed)
    {
        var bytes = raw[..parsed.TsigOffset].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes, parsed.Tsig!.OriginalId);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)(additional - 1));
        return bytes;
    }

    /// <summary>Appends a TSIG record to an unsigned message and bumps ARCOUNT.</summary>
    public static byte[] Append(ReadOnlySpan<byte> unsignedMessage, TsigRecord tsig)
    {
        var writer = new DnsWireWriter(unsignedMessage.Length + 128);
        writer.WriteBytes(unsignedMessage);
        writer.WriteBytes(DnsNames.ToWire(tsig.KeyName));
        writer.WriteUInt16((ushort)DnsType.TSIG);
        writer.WriteUInt16((ushort)DnsClass.ANY);
        writer.WriteUInt32(0);
        var algorithm = DnsNames.ToWire(tsig.Algorithm);
        writer.WriteUInt16((ushort)(algorithm.Length + 16 + tsig.Mac.Length + tsig.OtherData.Length));
        writer.WriteBytes(algorithm);
        writer.WriteUInt48(tsig.TimeSigned);
        writer.WriteUInt16(tsig.Fudge);
        writer.WriteUInt16((ushort)tsig.Mac.Length);
        writer.WriteBytes(tsig.Mac);
        writer.WriteUInt16(tsig.OriginalId);
        writer.WriteUInt16((ushort)tsig.Error);
        writer.WriteUInt16((ushort)tsig.OtherData.Length);
        writer.WriteBytes(tsig.OtherData);
        var signed = writer.ToArray();
        var additional = BinaryPrimitives.ReadUInt16BigEndian(signed.AsSpan(10));
        BinaryPrimitives.WriteUInt16BigEndian(signed.AsSpan(10), (ushort)(additional + 1));
        return signed;
    }

    /// <summary>How many bytes the TSIG record adds to a message signed with <paramref name="key"/>.</summary>
    public static int RecordLength(TsigKey key) =>
        DnsNames.ToWire(key.Name).Length + 10 + DnsNames.ToWire(key.WireAlgorithmName).Length + 16 + key.MacLength;
}

using System.Buffers.Binary;

namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>
/// The IPMI 1.5 session wrapper: auth type, session sequence, session ID (both little-endian), an
/// optional 16-byte auth code, the message length and the message. Anvil uses it unauthenticated
/// (auth type none) for Get Channel Authentication Capabilities, which precedes an RMCP+ session.
/// </summary>
internal static class Ipmi15Packet
{
    public const byte AuthTypeNone = 0x00;
    public const byte AuthTypeMd5 = 0x02;
    public const byte AuthTypeStraightPassword = 0x04;

    /// <summary>The value 6 in the auth type byte marks an RMCP+ (IPMI 2.0) packet instead.</summary>
    public const byte AuthTypeRmcpPlus = 0x06;

    public static byte[] Encode(byte authType, uint sequence, uint sessionId, ReadOnlySpan<byte> authCode, ReadOnlySpan<byte> message)
    {
        if (message.Length > byte.MaxValue)
            throw new ArgumentException("An IPMI 1.5 message is at most 255 bytes.", nameof(message));
        var hasAuthCode = authType != AuthTypeNone;
        if (hasAuthCode && authCode.Length != 16)
            throw new ArgumentException("An IPMI 1.5 auth code is 16 bytes.", nameof(authCode));
        var packet = new byte[Rmcp.HeaderLength + 10 + (hasAuthCode ? 16 : 0) + message.Length];
        Rmcp.WriteHeader(packet);
        var body = packet.AsSpan(Rmcp.HeaderLength);
        body[0] = authType;
        BinaryPrimitives.WriteUInt32LittleEndian(body[1..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(body[5..], sessionId);
        var at = 9;
        if (hasAuthCode)
        {
            authCode.CopyTo(body[at..]);
            at += 16;
        }

        body[at++] = (byte)message.Length;
        message.CopyTo(body[at..]);
        return packet;
    }

    public static bool TryDecode(ReadOnlySpan<byte> datagram, out Ipmi15Frame frame)
    {
        frame = default;
        if (!Rmcp.IsIpmiDatagram(datagram))
            return false;
        var body = datagram[Rmcp.HeaderLength..];
        if (body.Length < 10 || body[0] == AuthTypeRmcpPlus)
            return false;
        var authType = body[0];
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
        var sessionId = BinaryPrimitives.ReadUInt32LittleEndian(body[5..]);
        var at = 9;
        byte[] authCode = [];
        if (authType != AuthTypeNone)
        {
            if (body.Length < at + 16 + 1)
                return false;
            authCode = body.Slice(at, 16).ToArray();
            at += 16;
        }

        int length = body[at++];
        if (body.Length - at < length)
            return false;
        frame = new Ipmi15Frame(authType, sequence, sessionId, authCode, body.Slice(at, length).ToArray());
        return true;
    }
}

internal readonly record struct Ipmi15Frame(byte AuthType, uint Sequence, uint SessionId, byte[] AuthCode, byte[] Message);

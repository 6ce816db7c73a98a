using System.Buffers.Binary;
using Anvil.Rack.Power.Ipmi.Session;

namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>
/// The RMCP+ (IPMI 2.0) session wrapper: auth type 6, payload type with its encrypted (bit 7) and
/// authenticated (bit 6) flags, session ID and sequence (little-endian), payload length
/// (little-endian), the payload, and — when authenticated — the integrity pad (0xFF up to a
/// multiple of 4 bytes from the auth type on), pad length, next header (7) and the integrity code.
/// </summary>
internal static class RmcpPlusPacket
{
    public const int SessionHeaderLength = 12;
    private const byte EncryptedFlag = 0x80;
    private const byte AuthenticatedFlag = 0x40;
    private const byte NextHeader = 0x07;

    /// <summary>Wraps a payload; with <paramref name="keys"/> it is encrypted and signed, without it is sent in the clear (session setup).</summary>
    public static byte[] Encode(RmcpPlusPayloadType type, uint sessionId, uint sequence, ReadOnlySpan<byte> payload, SessionKeys? keys)
    {
        var body = keys is null ? payload.ToArray() : keys.Encrypt(payload);
        if (body.Length > ushort.MaxValue)
            throw new ArgumentException("An RMCP+ payload is at most 65535 bytes.", nameof(payload));
        var covered = SessionHeaderLength + body.Length;
        var pad = keys is null ? 0 : (4 - ((covered + 2) % 4)) % 4;
        var trailer = keys is null ? 0 : pad + 2 + keys.Suite.IntegrityLength;
        var packet = new byte[Rmcp.HeaderLength + covered + trailer];
        Rmcp.WriteHeader(packet);
        var session = packet.AsSpan(Rmcp.HeaderLength);
        session[0] = Ipmi15Packet.AuthTypeRmcpPlus;
        session[1] = (byte)((byte)type | (keys is null ? 0 : EncryptedFlag | AuthenticatedFlag));
        BinaryPrimitives.WriteUInt32LittleEndian(session[2..], sessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(session[6..], sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(session[10..], (ushort)body.Length);
        body.CopyTo(session[SessionHeaderLength..]);
        if (keys is not null)
        {
            var at = covered;
            session.Slice(at, pad).Fill(0xFF);
            at += pad;
            session[at++] = (byte)pad;
            session[at++] = NextHeader;
            keys.Sign(session[..at], session[at..]);
        }

        return packet;
    }

    /// <summary>
    /// Unwraps a datagram. Authenticated packets are checked and decrypted with <paramref name="keys"/>;
    /// false (never an exception) for anything malformed, unsigned when it should be, or failing its check.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> datagram, SessionKeys? keys, out RmcpPlusFrame frame)
    {
        frame = default;
        if (!Rmcp.IsIpmiDatagram(datagram))
            return false;
        var session = datagram[Rmcp.HeaderLength..];
        if (session.Length < SessionHeaderLength || session[0] != Ipmi15Packet.AuthTypeRmcpPlus)
            return false;
        var flags = session[1];
        var type = (RmcpPlusPayloadType)(flags & 0x3F);
        if ((byte)type == 0x02)
            return false; // OEM payloads carry 6 more header bytes; a BMC has no reason to send one to Anvil
        var encrypted = (flags & EncryptedFlag) != 0;
        var authenticated = (flags & AuthenticatedFlag) != 0;
        var sessionId = BinaryPrimitives.ReadUInt32LittleEndian(session[2..]);
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(session[6..]);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(session[10..]);
        if (session.Length - SessionHeaderLength < length)
            return false;
        var body = session.Slice(SessionHeaderLength, length);
        if (authenticated)
        {
            if (keys is null)
                return false;
            var covered = SessionHeaderLength + length;
            var trailerStart = session.Length - keys.Suite.IntegrityLength;
            // pad length and next header sit just before the integrity code
            if (trailerStart - 2 < covered)
                return false;
            int pad = session[trailerStart - 2];
            if (session[trailerStart - 1] != NextHeader || covered + pad != trailerStart - 2)
                return false;
            if (!keys.Verify(session[..trailerStart], session[trailerStart..]))
                return false;
        }
        else if (keys is not null && sessionId != 0)
        {
            return false; // once the session is up, the BMC signs everything it sends in it
        }

        byte[] payload;
        if (encrypted)
        {
            if (keys is null || !keys.TryDecrypt(body, out payload))
                return false;
        }
        else
        {
            payload = body.ToArray();
        }

        frame = new RmcpPlusFrame(type, encrypted, authenticated, sessionId, sequence, payload);
        return true;
    }
}

internal readonly record struct RmcpPlusFrame(RmcpPlusPayloadType Type, bool Encrypted, bool Authenticated, uint SessionId, uint Sequence, byte[] Payload);

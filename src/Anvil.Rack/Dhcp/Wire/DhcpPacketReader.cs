using System.Buffers.Binary;

namespace Anvil.Rack.Dhcp.Wire;

/// <summary>
/// Reads a client datagram into a <see cref="DhcpPacket"/> (RFC 2131 §2, RFC 2132, RFC 3396).
/// Every read is bounds-checked; a malformed datagram yields false and the reason, never an exception.
/// </summary>
internal static class DhcpPacketReader
{
    public const uint MagicCookie = 0x63825363;
    public const int SnameOffset = 44;
    public const int SnameLength = 64;
    public const int FileOffset = 108;
    public const int FileLength = 128;
    public const int CookieOffset = 236;
    public const int OptionsOffset = 240;

    public static bool TryRead(ReadOnlySpan<byte> data, DhcpPacket packet, out DhcpDropReason reason)
    {
        packet.Reset();
        if (data.Length < OptionsOffset)
            return Fail(DhcpDropReason.Short, out reason);
        if (data.Length > DhcpPacket.MaxLength)
            return Fail(DhcpDropReason.TooLong, out reason);
        if (data[0] != 1)
            return Fail(DhcpDropReason.NotRequest, out reason);
        if (BinaryPrimitives.ReadUInt32BigEndian(data[CookieOffset..]) != MagicCookie)
            return Fail(DhcpDropReason.BadCookie, out reason);
        if (data[1] != 1 || data[2] != 6)
            return Fail(DhcpDropReason.Hardware, out reason);
        packet.SetHeader(data);

        // Pass 1: check the structure and add up each option's length over all its instances,
        // in the order RFC 3396 §7 joins them: options field, then file, then sname.
        Span<int> totals = stackalloc int[256];
        totals.Fill(-1);
        var main = data[OptionsOffset..];
        if (!Walk(main, totals, null, out var overload))
            return Fail(DhcpDropReason.BadOptions, out reason);
        var file = data.Slice(FileOffset, FileLength);
        var sname = data.Slice(SnameOffset, SnameLength);
        if ((overload & 1) != 0 && !Walk(file, totals, null, out _))
            return Fail(DhcpDropReason.BadOptions, out reason);
        if ((overload & 2) != 0 && !Walk(sname, totals, null, out _))
            return Fail(DhcpDropReason.BadOptions, out reason);

        // Pass 2: give each present code its room, then copy the instances in.
        var start = 0;
        for (var code = 1; code < 255; code++)
        {
            if (totals[code] < 0)
                continue;
            packet.Declare((byte)code, start);
            start += totals[code];
        }

        Walk(main, null, packet, out _);
        if ((overload & 1) != 0)
            Walk(file, null, packet, out _);
        if ((overload & 2) != 0)
            Walk(sname, null, packet, out _);

        var type = packet.Option(DhcpOptionCode.MessageType);
        if (type.Length == 0)
            return Fail(DhcpDropReason.Bootp, out reason);
        if (type.Length != 1 || type[0] is not (>= (byte)DhcpMessageType.Discover and <= (byte)DhcpMessageType.Inform)
            || type[0] is (byte)DhcpMessageType.Offer or (byte)DhcpMessageType.Ack or (byte)DhcpMessageType.Nak)
            return Fail(DhcpDropReason.UnknownType, out reason);
        packet.SetMessageType((DhcpMessageType)type[0]);
        reason = default;
        return true;
    }

    /// <summary>
    /// Walks one option area. With <paramref name="totals"/> it validates and sums lengths (absent
    /// codes are -1); with <paramref name="into"/> it copies values. An area may end at its last
    /// byte without an End option: several real clients omit it in the file and sname areas.
    /// </summary>
    private static bool Walk(ReadOnlySpan<byte> area, Span<int> totals, DhcpPacket? into, out int overload)
    {
        overload = 0;
        var i = 0;
        while (i < area.Length)
        {
            var code = area[i];
            if (code == DhcpOptionCode.Pad)
            {
                i++;
                continue;
            }

            if (code == DhcpOptionCode.End)
                return true;
            if (i + 1 >= area.Length)
                return false;
            var length = area[i + 1];
            if (i + 2 + length > area.Length)
                return false;
            var value = area.Slice(i + 2, length);
            if (into is not null)
            {
                into.Append(code, value);
            }
            else
            {
                totals[code] = Math.Max(totals[code], 0) + length;
                if (code == DhcpOptionCode.Overload)
                {
                    if (length != 1 || value[0] is < 1 or > 3)
                        return false;
                    overload = value[0];
                }
            }

            i += 2 + length;
        }

        return true;
    }

    private static bool Fail(DhcpDropReason why, out DhcpDropReason reason)
    {
        reason = why;
        return false;
    }
}

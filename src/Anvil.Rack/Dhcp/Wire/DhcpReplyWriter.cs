using System.Buffers.Binary;

namespace Anvil.Rack.Dhcp.Wire;

/// <summary>
/// Builds a BOOTREPLY in a caller's buffer: the fixed header, then options in the order written,
/// then End. Options never run past the client's size limit: one that does not fit is left out
/// and <see cref="TryWriteOption(byte, ReadOnlySpan{byte})"/> says so.
/// </summary>
internal ref struct DhcpReplyWriter
{
    /// <summary>RFC 2131 §2: every client must take 576-byte IP datagrams; less the IP and UDP headers.</summary>
    public const int MinimumMessageSize = 576 - 28;

    /// <summary>RFC 1542 §3.4: BOOTP relays and old clients expect at least 300 bytes.</summary>
    private const int MinimumLength = 300;

    private readonly Span<byte> buffer;
    private int position;

    /// <param name="buffer">Where the reply goes.</param>
    /// <param name="maxLength">The client's limit on the DHCP message (from option 57, or <see cref="MinimumMessageSize"/>).</param>
    public DhcpReplyWriter(Span<byte> buffer, int maxLength)
    {
        this.buffer = buffer[..Math.Min(buffer.Length, Math.Max(maxLength, MinimumLength))];
        position = 0;
    }

    public readonly int Length => position;

    public void WriteHeader(DhcpPacket request, uint clientAddress, uint yourAddress, uint nextServer, ReadOnlySpan<byte> file)
    {
        var header = buffer[..DhcpPacketReader.OptionsOffset];
        header.Clear();
        header[0] = 2;
        header[1] = request.HardwareType;
        header[2] = request.HardwareLength;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], request.TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], request.Flags);
        BinaryPrimitives.WriteUInt32BigEndian(header[12..], clientAddress);
        BinaryPrimitives.WriteUInt32BigEndian(header[16..], yourAddress);
        BinaryPrimitives.WriteUInt32BigEndian(header[20..], nextServer);
        BinaryPrimitives.WriteUInt32BigEndian(header[24..], request.RelayAddress);
        request.ClientHardware.CopyTo(header[28..]);
        if (file.Length < DhcpPacketReader.FileLength)
            file.CopyTo(header[DhcpPacketReader.FileOffset..]);
        BinaryPrimitives.WriteUInt32BigEndian(header[DhcpPacketReader.CookieOffset..], DhcpPacketReader.MagicCookie);
        position = DhcpPacketReader.OptionsOffset;
    }

    /// <summary>Sets the broadcast flag (a NAK through a relay must be broadcast on the client's link).</summary>
    public readonly void SetBroadcastFlag() => buffer[10] |= 0x80;

    /// <summary>
    /// Writes the option, split into instances of at most 255 bytes (RFC 3396) when longer. False,
    /// and nothing written, when it does not fit before the End option.
    /// </summary>
    public bool TryWriteOption(byte code, scoped ReadOnlySpan<byte> value)
    {
        var instances = Math.Max(1, (value.Length + 254) / 255);
        if (position + value.Length + (2 * instances) + 1 > buffer.Length)
            return false;
        do
        {
            var chunk = Math.Min(value.Length, 255);
            buffer[position] = code;
            buffer[position + 1] = (byte)chunk;
            value[..chunk].CopyTo(buffer[(position + 2)..]);
            position += 2 + chunk;
            value = value[chunk..];
        }
        while (!value.IsEmpty);
        return true;
    }

    public bool TryWriteOption(byte code, byte value) => TryWriteOption(code, [value]);

    public bool TryWriteOption(byte code, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return TryWriteOption(code, bytes);
    }

    /// <summary>Writes End, pads to the BOOTP minimum and returns the reply's length.</summary>
    public int Finish()
    {
        buffer[position++] = DhcpOptionCode.End;
        if (position < MinimumLength)
        {
            buffer[position..MinimumLength].Clear();
            position = MinimumLength;
        }

        return position;
    }
}

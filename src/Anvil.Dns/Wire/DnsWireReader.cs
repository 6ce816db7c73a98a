using System.Buffers.Binary;
using System.Text;

namespace Anvil.Dns.Wire;

/// <summary>
/// Bounds-checked big-endian reads over a whole DNS message. The whole message is kept because
/// compressed names point back into it; every failure is a <see cref="DnsWireException"/>.
/// </summary>
internal ref struct DnsWireReader
{
    public const int MaxNameLength = 255;
    public const int MaxLabelLength = 63;

    // A name has at most 127 labels, so a legitimate name never needs more pointer hops than that.
    private const int MaxPointerHops = 127;

    private readonly ReadOnlySpan<byte> message;

    public DnsWireReader(ReadOnlySpan<byte> message, int position = 0)
    {
        this.message = message;
        Position = position;
    }

    public int Position { get; private set; }

    public readonly int Remaining => message.Length - Position;

    public readonly ReadOnlySpan<byte> Message => message;

    public byte ReadByte()
    {
        Need(1, "a byte");
        return message[Position++];
    }

    public ushort ReadUInt16()
    {
        Need(2, "a 16-bit field");
        var value = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(Position, 2));
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4, "a 32-bit field");
        var value = BinaryPrimitives.ReadUInt32BigEndian(message.Slice(Position, 4));
        Position += 4;
        return value;
    }

    public ulong ReadUInt48()
    {
        Need(6, "a 48-bit time");
        var high = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(Position, 2));
        var low = BinaryPrimitives.ReadUInt32BigEndian(message.Slice(Position + 2, 4));
        Position += 6;
        return ((ulong)high << 32) | low;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0)
            throw new DnsWireException("negative length");
        Need(count, $"{count} bytes");
        var bytes = message.Slice(Position, count);
        Position += count;
        return bytes;
    }

    /// <summary>Reads a possibly compressed name; returns it in presentation form, lower case, with the trailing dot.</summary>
    public string ReadName()
    {
        var text = new StringBuilder();
        var cursor = Position;
        var resumeAt = -1;
        var hops = 0;
        var wireLength = 1;
        while (true)
        {
            if (cursor >= message.Length)
                throw new DnsWireException($"name runs past the end of the message at offset {cursor}");
            var length = message[cursor];
            if ((length & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= message.Length)
                    throw new DnsWireException($"compression pointer cut off at offset {cursor}");
                var target = ((length & 0x3F) << 8) | message[cursor + 1];
                // Pointers must go strictly backwards: together with the hop limit this rules out loops.
                if (target >= cursor)
                    throw new DnsWireException($"compression pointer at offset {cursor} does not point backwards (to {target})");
                if (++hops > MaxPointerHops)
                    throw new DnsWireException("too many compression pointers in one name");
                if (resumeAt < 0)
                    resumeAt = cursor + 2;
                cursor = target;
                continue;
            }

            if ((length & 0xC0) != 0)
                throw new DnsWireException($"unsupported label type 0x{length:x2} at offset {cursor}");
            if (length == 0)
            {
                Position = resumeAt >= 0 ? resumeAt : cursor + 1;
                return text.Length == 0 ? "." : text.ToString();
            }

            wireLength += length + 1;
            if (wireLength > MaxNameLength)
                throw new DnsWireException("name longer than 255 octets");
            if (cursor + 1 + length > message.Length)
                throw new DnsWireException($"label runs past the end of the message at offset {cursor}");
            DnsNames.AppendLabel(text, message.Slice(cursor + 1, length));
            text.Append('.');
            cursor += 1 + length;
        }
    }

    private readonly void Need(int count, string what)
    {
        if (count > message.Length - Position)
            throw new DnsWireException($"message ends at offset {message.Length} where {what} was expected at offset {Position}");
    }
}

using System.Buffers.Binary;

namespace Anvil.Rack.Tftp.Codec;

/// <summary>Shared pieces of the wire format: the opcode and NUL-terminated strings.</summary>
internal static class TftpPacket
{
    /// <summary>The opcode, or false when the packet is shorter than one.</summary>
    public static bool TryReadOpcode(ReadOnlySpan<byte> packet, out TftpOpcode opcode)
    {
        if (packet.Length < 2)
        {
            opcode = default;
            return false;
        }

        opcode = (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(packet);
        return true;
    }

    /// <summary>Splits off the bytes before the next NUL; false when there is no NUL left.</summary>
    public static bool TryReadString(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> value)
    {
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            value = default;
            return false;
        }

        value = rest[..end];
        rest = rest[(end + 1)..];
        return true;
    }

    /// <summary>Writes ASCII text and its NUL; the caller sized <paramref name="destination"/>.</summary>
    public static int WriteString(Span<byte> destination, string text)
    {
        var written = System.Text.Encoding.UTF8.GetBytes(text, destination);
        destination[written] = 0;
        return written + 1;
    }

    public static int StringSize(string text) => System.Text.Encoding.UTF8.GetByteCount(text) + 1;
}

using System.Buffers.Binary;
using System.Text;

namespace Anvil.Rack.Tftp.Codec;

/// <summary>ERROR: <c>opcode | code | message NUL</c>.</summary>
internal readonly record struct TftpError(TftpErrorCode Code, string Message)
{
    /// <summary>A missing final NUL is tolerated (some clients omit it); a short packet is not an error packet.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out TftpError error)
    {
        error = default;
        if (packet.Length < 4 || !TftpPacket.TryReadOpcode(packet, out var opcode) || opcode != TftpOpcode.Error)
            return false;
        var code = (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var text = packet[4..];
        var end = text.IndexOf((byte)0);
        error = new TftpError(code, Encoding.UTF8.GetString(end < 0 ? text : text[..end]));
        return true;
    }

    public int Size => 4 + TftpPacket.StringSize(Message);

    public int Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Code);
        return 4 + TftpPacket.WriteString(destination[4..], Message);
    }
}

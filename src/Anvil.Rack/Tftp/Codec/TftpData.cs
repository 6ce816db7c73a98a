using System.Buffers.Binary;

namespace Anvil.Rack.Tftp.Codec;

/// <summary>DATA: <c>opcode | block | 0..blksize bytes</c>; a block shorter than blksize ends the transfer.</summary>
internal static class TftpData
{
    public const int HeaderSize = 4;

    public static bool TryRead(ReadOnlySpan<byte> packet, out ushort block, out ReadOnlySpan<byte> payload)
    {
        block = 0;
        payload = default;
        if (packet.Length < HeaderSize || !TftpPacket.TryReadOpcode(packet, out var opcode) || opcode != TftpOpcode.Data)
            return false;
        block = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        payload = packet[HeaderSize..];
        return true;
    }

    /// <summary>Writes the header in front of a payload already placed at offset <see cref="HeaderSize"/>.</summary>
    public static void WriteHeader(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
    }
}

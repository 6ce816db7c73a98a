using System.Buffers.Binary;

namespace Anvil.Rack.Tftp.Codec;

/// <summary>ACK: <c>opcode | block</c>. Block 0 acknowledges an OACK.</summary>
internal static class TftpAck
{
    public const int Size = 4;

    /// <summary>Exactly four bytes with the ACK opcode; anything else is not an ACK.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out ushort block)
    {
        block = 0;
        if (packet.Length != Size || !TftpPacket.TryReadOpcode(packet, out var opcode) || opcode != TftpOpcode.Ack)
            return false;
        block = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        return true;
    }

    public static int Write(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Ack);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
        return Size;
    }
}

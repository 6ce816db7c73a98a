using System.Buffers.Binary;
using System.Text;

namespace Anvil.Rack.Tftp.Codec;

/// <summary>OACK: <c>opcode | (option NUL value NUL)*</c> (RFC 2347), the options the server accepted.</summary>
internal static class TftpOptionAck
{
    public static bool TryRead(ReadOnlySpan<byte> packet, out IReadOnlyList<TftpOption> options)
    {
        options = [];
        if (!TftpPacket.TryReadOpcode(packet, out var opcode) || opcode != TftpOpcode.OptionAck)
            return false;

        var rest = packet[2..];
        var read = new List<TftpOption>();
        while (!rest.IsEmpty)
        {
            if (!TftpPacket.TryReadString(ref rest, out var name) || !TftpPacket.TryReadString(ref rest, out var value) || name.IsEmpty)
                return false;
            read.Add(new TftpOption(Encoding.UTF8.GetString(name), Encoding.UTF8.GetString(value)));
        }

        options = read;
        return true;
    }

    public static int Size(IReadOnlyList<TftpOption> options) =>
        2 + options.Sum(o => TftpPacket.StringSize(o.Name) + TftpPacket.StringSize(o.Value));

    public static int Write(Span<byte> destination, IReadOnlyList<TftpOption> options)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.OptionAck);
        var length = 2;
        foreach (var option in options)
        {
            length += TftpPacket.WriteString(destination[length..], option.Name);
            length += TftpPacket.WriteString(destination[length..], option.Value);
        }

        return length;
    }
}

using System.Buffers.Binary;
using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Tests.Dhcp;

/// <summary>Builds client datagrams for engine tests: header fields and options in the order added.</summary>
internal sealed class ClientPacket
{
    private readonly List<(byte Code, byte[] Value)> options = [];

    public ClientPacket(DhcpMessageType type, ulong mac)
    {
        Mac = mac;
        options.Add((DhcpOptionCode.MessageType, [(byte)type]));
    }

    public ulong Mac { get; }

    public uint TransactionId { get; init; } = 0x1234abcd;

    public uint ClientAddress { get; init; }

    public uint RelayAddress { get; init; }

    public ushort Flags { get; init; }

    public ClientPacket With(byte code, params byte[] value)
    {
        options.Add((code, value));
        return this;
    }

    public ClientPacket WithText(byte code, string text) => With(code, System.Text.Encoding.ASCII.GetBytes(text));

    public ClientPacket WithAddress(byte code, uint address)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return With(code, bytes);
    }

    public byte[] ToBytes()
    {
        var length = 240 + options.Sum(o => 2 + o.Value.Length) + 1;
        var bytes = new byte[Math.Max(length, 300)];
        bytes[0] = 1;
        bytes[1] = 1;
        bytes[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), Flags);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), ClientAddress);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(24), RelayAddress);
        for (var i = 0; i < 6; i++)
            bytes[28 + i] = (byte)(Mac >> (8 * (5 - i)));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(236), DhcpPacketReader.MagicCookie);
        var at = 240;
        foreach (var (code, value) in options)
        {
            bytes[at] = code;
            bytes[at + 1] = (byte)value.Length;
            value.CopyTo(bytes, at + 2);
            at += 2 + value.Length;
        }

        bytes[at] = DhcpOptionCode.End;
        return bytes;
    }
}

using System.Buffers.Binary;
using System.Text;
using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Tests.Dhcp;

/// <summary>A server reply read back for assertions: header fields and options (instances joined), in the order sent.</summary>
internal sealed class ReplyView
{
    public ReplyView(ReadOnlySpan<byte> bytes)
    {
        Length = bytes.Length;
        Op = bytes[0];
        TransactionId = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        Flags = BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]);
        ClientAddress = Text(BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        YourAddress = Text(BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
        NextServer = Text(BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]));
        RelayAddress = Text(BinaryPrimitives.ReadUInt32BigEndian(bytes[24..]));
        var file = bytes.Slice(108, 128);
        var end = file.IndexOf((byte)0);
        File = Encoding.ASCII.GetString(end < 0 ? file : file[..end]);
        var at = 240;
        while (at < bytes.Length && bytes[at] != DhcpOptionCode.End)
        {
            if (bytes[at] == DhcpOptionCode.Pad)
            {
                at++;
                continue;
            }

            var code = bytes[at];
            var value = bytes.Slice(at + 2, bytes[at + 1]).ToArray();
            if (Options.TryGetValue(code, out var earlier))
            {
                Options[code] = [.. earlier, .. value];
            }
            else
            {
                Options[code] = value;
                Order.Add(code);
            }

            at += 2 + value.Length;
        }
    }

    public int Length { get; }
    public byte Op { get; }
    public uint TransactionId { get; }
    public ushort Flags { get; }
    public string ClientAddress { get; }
    public string YourAddress { get; }
    public string NextServer { get; }
    public string RelayAddress { get; }
    public string File { get; }
    public Dictionary<byte, byte[]> Options { get; } = [];
    public List<byte> Order { get; } = [];

    public DhcpMessageType Type => (DhcpMessageType)Options[DhcpOptionCode.MessageType][0];

    public uint UInt32(byte code) => BinaryPrimitives.ReadUInt32BigEndian(Options[code]);

    public string Address(byte code) => Text(BinaryPrimitives.ReadUInt32BigEndian(Options[code]));

    public string String(byte code) => Encoding.ASCII.GetString(Options[code]);

    public static string Text(uint address) => $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}";

    public static uint Address(string text)
    {
        var parts = text.Split('.').Select(byte.Parse).ToArray();
        return (uint)((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]);
    }
}

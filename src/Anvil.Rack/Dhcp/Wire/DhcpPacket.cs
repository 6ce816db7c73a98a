using System.Buffers.Binary;

namespace Anvil.Rack.Dhcp.Wire;

/// <summary>
/// A parsed client message. One instance is reused for every datagram a worker reads, so parsing
/// allocates nothing: option values live in one buffer, concatenated per code as RFC 3396 asks,
/// and indexed by code.
/// </summary>
internal sealed class DhcpPacket
{
    /// <summary>The largest datagram the server reads; option values can never be longer in total.</summary>
    public const int MaxLength = 4096;

    private readonly byte[] optionData = new byte[MaxLength];
    private readonly int[] optionStart = new int[256];
    private readonly int[] optionLength = new int[256];
    private readonly byte[] presentCodes = new byte[256];
    private readonly byte[] clientHardware = new byte[16];
    private int presentCount;

    public DhcpPacket() => Array.Fill(optionLength, -1);

    public byte Op { get; private set; }
    public byte HardwareType { get; private set; }
    public byte HardwareLength { get; private set; }
    public byte Hops { get; private set; }
    public uint TransactionId { get; private set; }
    public ushort Seconds { get; private set; }
    public ushort Flags { get; private set; }
    public uint ClientAddress { get; private set; }
    public uint YourAddress { get; private set; }
    public uint NextServerAddress { get; private set; }
    public uint RelayAddress { get; private set; }

    /// <summary>The 16-byte chaddr field as received.</summary>
    public ReadOnlySpan<byte> ClientHardware => clientHardware;

    /// <summary>The Ethernet MAC as a 48-bit number (htype 1, hlen 6 is checked by the reader).</summary>
    public ulong Mac { get; private set; }

    public DhcpMessageType MessageType { get; private set; }

    /// <summary>The broadcast bit (RFC 2131 §2, flags).</summary>
    public bool Broadcast => (Flags & 0x8000) != 0;

    public bool Has(byte code) => optionLength[code] >= 0;

    /// <summary>The value of option <paramref name="code"/> (all its instances joined), or empty when absent.</summary>
    public ReadOnlySpan<byte> Option(byte code) =>
        optionLength[code] < 0 ? default : optionData.AsSpan(optionStart[code], optionLength[code]);

    /// <summary>An option holding one IPv4 address (50, 54), or 0 when it is absent or not 4 bytes long.</summary>
    public uint AddressOption(byte code)
    {
        var value = Option(code);
        return value.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value) : 0;
    }

    internal void Reset()
    {
        for (var i = 0; i < presentCount; i++)
            optionLength[presentCodes[i]] = -1;
        presentCount = 0;
        MessageType = DhcpMessageType.None;
        Mac = 0;
    }

    internal void SetHeader(ReadOnlySpan<byte> data)
    {
        Op = data[0];
        HardwareType = data[1];
        HardwareLength = data[2];
        Hops = data[3];
        TransactionId = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        Seconds = BinaryPrimitives.ReadUInt16BigEndian(data[8..]);
        Flags = BinaryPrimitives.ReadUInt16BigEndian(data[10..]);
        ClientAddress = BinaryPrimitives.ReadUInt32BigEndian(data[12..]);
        YourAddress = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        NextServerAddress = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        RelayAddress = BinaryPrimitives.ReadUInt32BigEndian(data[24..]);
        data.Slice(28, 16).CopyTo(clientHardware);
        ulong mac = 0;
        for (var i = 0; i < 6; i++)
            mac = (mac << 8) | clientHardware[i];
        Mac = mac;
    }

    internal void SetMessageType(DhcpMessageType type) => MessageType = type;

    /// <summary>Marks option <paramref name="code"/> present, its value starting at <paramref name="start"/> of the value buffer.</summary>
    internal void Declare(byte code, int start)
    {
        optionStart[code] = start;
        optionLength[code] = 0;
        presentCodes[presentCount++] = code;
    }

    /// <summary>Appends one instance's bytes to the option's reserved room.</summary>
    internal void Append(byte code, ReadOnlySpan<byte> fragment)
    {
        fragment.CopyTo(optionData.AsSpan(optionStart[code] + optionLength[code]));
        optionLength[code] += fragment.Length;
    }
}

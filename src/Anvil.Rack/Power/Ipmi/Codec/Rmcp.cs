namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>
/// The 4-byte RMCP header every IPMI-over-LAN datagram starts with: version 6, a reserved byte,
/// sequence 0xFF (IPMI never asks for RMCP acknowledgements) and the message class IPMI (7).
/// </summary>
internal static class Rmcp
{
    public const int HeaderLength = 4;
    public const byte Version = 0x06;
    public const byte NoAckSequence = 0xFF;
    public const byte ClassIpmi = 0x07;

    public static void WriteHeader(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = 0;
        destination[2] = NoAckSequence;
        destination[3] = ClassIpmi;
    }

    /// <summary>True when the datagram carries an RMCP header of class IPMI (normal, not an ACK).</summary>
    public static bool IsIpmiDatagram(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength && datagram[0] == Version && (datagram[3] & 0x1F) == ClassIpmi && (datagram[3] & 0x80) == 0;
}

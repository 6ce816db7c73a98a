namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>RMCP+ payload types (the low 6 bits of the payload type byte).</summary>
internal enum RmcpPlusPayloadType : byte
{
    IpmiMessage = 0x00,
    OpenSessionRequest = 0x10,
    OpenSessionResponse = 0x11,
    Rakp1 = 0x12,
    Rakp2 = 0x13,
    Rakp3 = 0x14,
    Rakp4 = 0x15,
}

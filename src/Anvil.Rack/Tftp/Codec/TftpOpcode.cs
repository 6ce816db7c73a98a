namespace Anvil.Rack.Tftp.Codec;

/// <summary>The first two bytes of every TFTP packet (RFC 1350, RFC 2347 for OACK).</summary>
internal enum TftpOpcode : ushort
{
    ReadRequest = 1,
    WriteRequest = 2,
    Data = 3,
    Ack = 4,
    Error = 5,
    OptionAck = 6,
}

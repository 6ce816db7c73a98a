namespace Anvil.Rack.Tftp.Codec;

/// <summary>Transfer modes of RFC 1350. Mail is recognised only to be refused.</summary>
internal enum TftpMode
{
    Netascii,
    Octet,
    Mail,
}

namespace Anvil.Rack.Tftp.Codec;

/// <summary>Error codes of the ERROR packet (RFC 1350; 8 from RFC 2347).</summary>
internal enum TftpErrorCode : ushort
{
    NotDefined = 0,
    FileNotFound = 1,
    AccessViolation = 2,
    DiskFull = 3,
    IllegalOperation = 4,
    UnknownTransferId = 5,
    FileExists = 6,
    NoSuchUser = 7,
    OptionsRefused = 8,
}

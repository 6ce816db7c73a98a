namespace Anvil.Dns.Tsig;

/// <summary>The TSIG resource record's fields (RFC 8945 §4.2); names in presentation form with the trailing dot.</summary>
internal sealed record TsigRecord(
    string KeyName,
    string Algorithm,
    ulong TimeSigned,
    ushort Fudge,
    byte[] Mac,
    ushort OriginalId,
    TsigError Error,
    byte[] OtherData);

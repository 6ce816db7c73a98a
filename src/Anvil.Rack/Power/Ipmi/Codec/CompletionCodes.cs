namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>IPMI completion codes in words, for error messages.</summary>
internal static class CompletionCodes
{
    public const byte Ok = 0x00;
    public const byte InvalidCommand = 0xC1;
    public const byte InvalidDataField = 0xCC;
    public const byte ParameterNotSupported = 0x80;

    public static string Describe(byte code) => code switch
    {
        0x00 => "completed normally",
        0x80 => "parameter not supported",
        0x81 => "requested level not available for this user",
        0x82 => "requested level exceeds the channel or user limit",
        0xC0 => "node busy",
        0xC1 => "invalid command",
        0xC3 => "timeout while processing the command",
        0xC7 => "request data length invalid",
        0xC9 => "parameter out of range",
        0xCC => "invalid data field in request",
        0xD4 => "insufficient privilege level",
        0xD5 => "command not supported in present state",
        0xFF => "unspecified error",
        _ => $"completion code 0x{code:X2}",
    };
}

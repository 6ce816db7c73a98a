namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>RMCP+ status codes a BMC returns in Open Session Response and RAKP 2/4, in words an operator understands.</summary>
internal static class RmcpPlusStatus
{
    public static string Describe(byte status) => status switch
    {
        0x01 => "insufficient resources to create a session",
        0x02 => "invalid session ID",
        0x03 => "invalid payload type",
        0x04 => "invalid authentication algorithm",
        0x05 => "invalid integrity algorithm",
        0x06 => "no matching authentication payload",
        0x07 => "no matching integrity payload",
        0x08 => "inactive session ID",
        0x09 => "invalid role",
        0x0A => "unauthorized role or privilege level requested",
        0x0B => "insufficient resources to create a session at the requested role",
        0x0C => "invalid user name length",
        0x0D => "unauthorized name (unknown user)",
        0x0E => "unauthorized GUID",
        0x0F => "invalid integrity check value (wrong password or K_g)",
        0x10 => "invalid confidentiality algorithm",
        0x11 => "no cipher suite match with proposed security algorithms",
        0x12 => "illegal or unrecognized parameter",
        _ => $"status 0x{status:X2}",
    };

    /// <summary>Statuses that mean the credentials or the privilege level were refused.</summary>
    public static bool IsAuthentication(byte status) => status is 0x09 or 0x0A or 0x0C or 0x0D or 0x0E or 0x0F;

    /// <summary>Statuses that mean the BMC does not offer the requested cipher suite.</summary>
    public static bool IsCipherSuite(byte status) => status is 0x04 or 0x05 or 0x06 or 0x07 or 0x10 or 0x11;
}

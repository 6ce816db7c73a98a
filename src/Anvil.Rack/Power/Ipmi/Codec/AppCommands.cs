namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>The Application network function and the session commands both IPMI 1.5 and 2.0 sessions use.</summary>
internal static class AppCommands
{
    public const byte NetFnApp = 0x06;
    public const byte GetChannelAuthCapabilities = 0x38;
    public const byte GetSessionChallenge = 0x39;
    public const byte ActivateSession = 0x3A;
    public const byte SetSessionPrivilegeLevel = 0x3B;
    public const byte CloseSession = 0x3C;
}

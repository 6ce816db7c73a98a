using Anvil.Rack.Power.Ipmi.Codec;

namespace Anvil.Rack.Power.Ipmi.Commands;

/// <summary>The chassis commands (netFn 0x00) the power driver sends, and how their answers read.</summary>
internal static class ChassisCommands
{
    public const byte NetFnChassis = 0x00;
    public const byte GetChassisStatus = 0x01;
    public const byte ChassisControl = 0x02;
    public const byte SetSystemBootOptions = 0x08;

    /// <summary>Bit 0 of the first data byte of Get Chassis Status: power is on.</summary>
    public static bool TryReadPowerOn(IpmiResponse response, out bool on)
    {
        on = false;
        if (response.CompletionCode != CompletionCodes.Ok || response.Data.Length < 1)
            return false;
        on = (response.Data[0] & 0x01) != 0;
        return true;
    }

    /// <summary>
    /// Boot flags (boot option parameter 5): valid, this boot only, legacy or EFI, force PXE.
    /// Bit 7 of the selector byte stays 0 so the parameter is marked valid.
    /// </summary>
    public static byte[] PxeNextBootFlags(bool efi) =>
        [0x05, (byte)(0x80 | (efi ? 0x20 : 0x00)), 0x04, 0x00, 0x00, 0x00];
}

/// <summary>Chassis Control data byte values.</summary>
internal enum ChassisControlAction : byte
{
    PowerDown = 0x00,
    PowerUp = 0x01,
    PowerCycle = 0x02,
    HardReset = 0x03,
    SoftShutdown = 0x05,
}

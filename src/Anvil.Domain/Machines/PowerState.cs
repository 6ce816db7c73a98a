namespace Anvil.Domain.Machines;

/// <summary>The power states MAAS reports, as the lower-case strings it uses on the wire.</summary>
public static class PowerState
{
    public const string On = "on";
    public const string Off = "off";
    public const string Unknown = "unknown";
    public const string Error = "error";

    public static bool IsValid(string value) => value is On or Off or Unknown or Error;
}

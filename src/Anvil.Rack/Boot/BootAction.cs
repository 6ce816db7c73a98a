using Anvil.Domain.Boot;

namespace Anvil.Rack.Boot;

/// <summary>What a rendered config makes the bootloader do; each renderer writes one form per action.</summary>
internal enum BootAction
{
    /// <summary>Fetch the kernel and initrd from the rack and boot them with the composed command line.</summary>
    NetworkBoot,

    /// <summary>A network boot was wanted but the region named no kernel (no image for this architecture).</summary>
    NoImage,

    LocalDisk,

    PowerOff,
}

internal static class BootActions
{
    public static BootAction For(BootConfig config) => config.Purpose switch
    {
        BootPurpose.Local => BootAction.LocalDisk,
        BootPurpose.PowerOff => BootAction.PowerOff,
        _ when config.Kernel.Length == 0 || config.Initrd.Length == 0 => BootAction.NoImage,
        _ => BootAction.NetworkBoot,
    };

    /// <summary>A one-line description for the console, e.g. <c>commissioning ubuntu/noble amd64/generic</c>.</summary>
    public static string Describe(BootConfig config)
    {
        var os = config.Osystem.Length > 0 ? $" {config.Osystem}/{config.Release}" : "";
        return $"{BootDecision.WireName(config.Purpose)}{os} {config.Arch}/{config.Subarch}";
    }
}

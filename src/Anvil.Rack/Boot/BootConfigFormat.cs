namespace Anvil.Rack.Boot;

/// <summary>The bootloader a generated config file is written for, and so the renderer it needs.</summary>
internal enum BootConfigFormat
{
    Ipxe,
    Pxelinux,
    Grub,
}

namespace Anvil.Domain.Boot;

/// <summary>
/// The region's answer to a <see cref="BootRequest"/> (maas-api.md §9.2 <c>GetBootConfig</c>), which
/// the rack renders into an iPXE script, a PXELINUX config or a GRUB config. <see cref="Kernel"/>,
/// <see cref="Initrd"/>, <see cref="Rootfs"/> and <see cref="BootDtb"/> are paths below the rack's
/// <c>/images/</c>; <see cref="FsHost"/> is the host that serves them (the rack itself).
/// </summary>
public sealed record BootConfig
{
    public required BootPurpose Purpose { get; init; }
    public string Arch { get; init; } = "amd64";
    public string Subarch { get; init; } = "generic";
    public string Osystem { get; init; } = "";
    public string Release { get; init; } = "";
    public string Kernel { get; init; } = "";
    public string Initrd { get; init; } = "";
    public string Rootfs { get; init; } = "";
    public string? BootDtb { get; init; }
    public string? SystemId { get; init; }
    public string Hostname { get; init; } = "";
    public string Domain { get; init; } = "";
    public string PreseedUrl { get; init; } = "";
    public string FsHost { get; init; } = "";
    public string LogHost { get; init; } = "";
    public int LogPort { get; init; } = 5247;
    public string ExtraOpts { get; init; } = "";
    public string EphemeralOpts { get; init; } = "";
    public bool HttpBoot { get; init; } = true;
}

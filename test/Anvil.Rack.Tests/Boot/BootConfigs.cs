using Anvil.Domain.Boot;

namespace Anvil.Rack.Tests.Boot;

/// <summary>Region answers as the renderer tests need them; each test starts from a fresh one.</summary>
internal static class BootConfigs
{
    public static BootConfig Commissioning() => new()
    {
        Purpose = BootPurpose.Commissioning,
        Arch = "amd64",
        Subarch = "generic",
        Osystem = "ubuntu",
        Release = "noble",
        Kernel = "a1b2c3d/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel",
        Initrd = "e4f5a6b/ubuntu/amd64/ga-24.04/noble/stable/boot-initrd",
        Rootfs = "c7d8e9f/ubuntu/amd64/ga-24.04/noble/stable/squashfs",
        SystemId = "abc123",
        Hostname = "quiet-owl",
        Domain = "maas",
        PreseedUrl = "http://10.20.0.1:5248/MAAS/metadata/latest/by-id/abc123/?op=get_preseed",
        FsHost = "10.20.0.1",
        LogHost = "10.20.0.1",
    };

    public static BootConfig Xinstall() => Commissioning() with
    {
        Purpose = BootPurpose.Xinstall,
        Release = "focal",
        Kernel = "1111111/ubuntu/amd64/ga-20.04/focal/stable/boot-kernel",
        Initrd = "2222222/ubuntu/amd64/ga-20.04/focal/stable/boot-initrd",
        Rootfs = "3333333/ubuntu/amd64/ga-20.04/focal/stable/root-tgz.tgz",
        ExtraOpts = "console=ttyS0,115200 quiet",
    };
}

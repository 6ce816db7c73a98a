using Anvil.Domain.Boot;
using Anvil.Rack.Boot;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Boot;

public sealed class RendererTests
{
    [Fact]
    public void Ipxe_first_stage() => IpxeScript.FirstStage.ShouldMatchGolden("ipxe.cfg");

    [Fact]
    public void Ipxe_commissioning() => IpxeScript.Render(BootConfigs.Commissioning()).ShouldMatchGolden("ipxe-commissioning.ipxe");

    [Fact]
    public void Ipxe_enlist_over_IPv6() =>
        IpxeScript.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.Enlist, Hostname = "", FsHost = "fd00:20::1", LogHost = "" })
            .ShouldMatchGolden("ipxe-enlist-ipv6.ipxe");

    [Fact]
    public void Ipxe_xinstall() => IpxeScript.Render(BootConfigs.Xinstall()).ShouldMatchGolden("ipxe-xinstall.ipxe");

    [Fact]
    public void Ipxe_local() => IpxeScript.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.Local }).ShouldMatchGolden("ipxe-local.ipxe");

    [Fact]
    public void Ipxe_poweroff() => IpxeScript.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.PowerOff }).ShouldMatchGolden("ipxe-poweroff.ipxe");

    [Fact]
    public void Ipxe_without_an_image() => IpxeScript.Render(BootConfigs.Commissioning() with { Kernel = "" }).ShouldMatchGolden("ipxe-no-image.ipxe");

    [Fact]
    public void Pxelinux_commissioning() => PxelinuxConfig.Render(BootConfigs.Commissioning()).ShouldMatchGolden("pxelinux-commissioning.cfg");

    [Fact]
    public void Pxelinux_ephemeral_with_a_device_tree() =>
        PxelinuxConfig.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.Ephemeral, BootDtb = "d0d0d0d/ubuntu/arm64/dtb" })
            .ShouldMatchGolden("pxelinux-ephemeral-dtb.cfg");

    [Fact]
    public void Pxelinux_local() => PxelinuxConfig.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.Local }).ShouldMatchGolden("pxelinux-local.cfg");

    [Fact]
    public void Pxelinux_poweroff() => PxelinuxConfig.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.PowerOff }).ShouldMatchGolden("pxelinux-poweroff.cfg");

    [Fact]
    public void Grub_first_stage() => GrubConfig.FirstStage.ShouldMatchGolden("grub.cfg");

    [Fact]
    public void Grub_commissioning() => GrubConfig.Render(BootConfigs.Commissioning()).ShouldMatchGolden("grub-commissioning.cfg");

    [Fact]
    public void Grub_xinstall_over_tftp() => GrubConfig.Render(BootConfigs.Xinstall() with { HttpBoot = false }).ShouldMatchGolden("grub-xinstall-tftp.cfg");

    [Fact]
    public void Grub_local_amd64() => GrubConfig.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.Local }).ShouldMatchGolden("grub-local-amd64.cfg");

    [Fact]
    public void Grub_local_arm64() =>
        GrubConfig.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.Local, Arch = "arm64" }).ShouldMatchGolden("grub-local-arm64.cfg");

    [Fact]
    public void Grub_poweroff() => GrubConfig.Render(BootConfigs.Commissioning() with { Purpose = BootPurpose.PowerOff }).ShouldMatchGolden("grub-poweroff.cfg");

    [Fact]
    public void Grub_escapes_what_its_parser_would_interpret()
    {
        var config = BootConfigs.Commissioning() with { ExtraOpts = "a=$x;b|c&d<e>f#g\"h\\i" };

        GrubConfig.Render(config).ShouldContain(" -- a=\\$x\\;b\\|c\\&d\\<e\\>f\\#g\\\"h\\\\i BOOTIF=01-${net_default_mac}\n");
    }

    [Fact]
    public void Grub_titles_never_contain_a_single_quote()
    {
        var config = BootConfigs.Commissioning() with { Release = "it's" };

        GrubConfig.Render(config).ShouldContain("menuentry 'Anvil: commissioning ubuntu/its amd64/generic' {");
    }
}

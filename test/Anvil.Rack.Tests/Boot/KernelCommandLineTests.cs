using Anvil.Domain.Boot;
using Anvil.Rack.Boot;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Boot;

public sealed class KernelCommandLineTests
{
    [Fact]
    public void A_squashfs_boot_gets_the_root_url_the_network_the_datasource_and_an_overlay()
    {
        var config = BootConfigs.Commissioning();

        KernelCommandLine.Compose(config).ShouldBe(
            "nomodeset root=squash:http://10.20.0.1:5248/images/c7d8e9f/ubuntu/amd64/ga-24.04/noble/stable/squashfs " +
            "ip=::::quiet-owl:BOOTIF:dhcp ip6=off cc:{'datasource_list': ['MAAS']}end_cc " +
            "cloud-config-url=http://10.20.0.1:5248/MAAS/metadata/latest/by-id/abc123/?op=get_preseed " +
            "ro overlayroot=tmpfs overlayroot_cfgdisk=disabled log_host=10.20.0.1 log_port=5247");
    }

    [Theory]
    [InlineData("x/root-tgz.tgz")]
    [InlineData("x/root-txz.txz")]
    public void A_tarball_root_is_tar_and_gets_no_overlay(string rootfs)
    {
        var config = BootConfigs.Commissioning() with { Rootfs = rootfs };

        var line = KernelCommandLine.Compose(config);

        line.ShouldContain($"root=tar:http://10.20.0.1:5248/images/{rootfs} ");
        line.ShouldNotContain("overlayroot");
        line.ShouldNotContain(" ro ");
    }

    [Fact]
    public void Without_a_root_filesystem_there_is_no_root_option()
    {
        var config = BootConfigs.Commissioning() with { Rootfs = "" };

        KernelCommandLine.Compose(config).ShouldNotContain("root=");
    }

    [Fact]
    public void An_IPv6_file_server_is_bracketed_and_switches_the_network_to_IPv6()
    {
        var config = BootConfigs.Commissioning() with { FsHost = "fd00:20::1" };

        var line = KernelCommandLine.Compose(config);

        line.ShouldContain("root=squash:http://[fd00:20::1]:5248/images/");
        line.ShouldContain(" ip=off ip6=dhcp ");
        line.ShouldNotContain("BOOTIF:dhcp");
    }

    [Fact]
    public void Ubuntu_before_jammy_runs_without_AppArmor()
    {
        KernelCommandLine.Compose(BootConfigs.Commissioning() with { Release = "focal" }).ShouldContain(" apparmor=0 ");
        KernelCommandLine.Compose(BootConfigs.Commissioning() with { Release = "jammy" }).ShouldNotContain("apparmor");
    }

    [Fact]
    public void Ephemeral_options_precede_the_separator_and_extra_options_follow_it()
    {
        var config = BootConfigs.Commissioning() with { LogHost = "", EphemeralOpts = "mitigations=off", ExtraOpts = "console=ttyS0  quiet" };

        KernelCommandLine.Compose(config).ShouldEndWith(" overlayroot_cfgdisk=disabled mitigations=off -- console=ttyS0 quiet");
    }

    [Fact]
    public void Line_breaks_in_configured_options_never_reach_the_command_line()
    {
        var config = BootConfigs.Commissioning() with { ExtraOpts = "quiet\nboot\r\nexit" };

        var line = KernelCommandLine.Compose(config);

        line.ShouldEndWith(" -- quiet boot exit");
        line.ShouldNotContain('\n');
        line.ShouldNotContain('\r');
    }

    [Fact]
    public void No_separator_is_added_without_extra_options()
    {
        KernelCommandLine.Compose(BootConfigs.Commissioning()).ShouldNotContain(" --");
    }

    [Fact]
    public void Without_a_log_host_there_are_no_logging_options()
    {
        KernelCommandLine.Compose(BootConfigs.Commissioning() with { LogHost = "" }).ShouldNotContain("log_");
    }

    [Fact]
    public void Every_network_boot_purpose_gets_the_same_options()
    {
        var commissioning = KernelCommandLine.Compose(BootConfigs.Commissioning());

        foreach (var purpose in new[] { BootPurpose.Enlist, BootPurpose.Xinstall, BootPurpose.Ephemeral })
            KernelCommandLine.Compose(BootConfigs.Commissioning() with { Purpose = purpose }).ShouldBe(commissioning);
    }
}

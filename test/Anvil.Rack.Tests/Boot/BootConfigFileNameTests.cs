using System.Net;
using Anvil.Rack.Boot;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Boot;

public sealed class BootConfigFileNameTests
{
    public static TheoryData<string, string, bool, string?, string?, string?, string?> GeneratedNames => new()
    {
        // path, format, first stage, mac, uuid, arch, subarch
        { "pxelinux.cfg/01-52-54-00-12-34-01", "Pxelinux", false, "52:54:00:12:34:01", null, null, null },
        { "/pxelinux.cfg/01-52-54-00-AB-cd-EF", "Pxelinux", false, "52:54:00:ab:cd:ef", null, null, null },
        { "pxelinux.cfg/8A1C2B3D-0000-4e5f-9abc-DEF012345678", "Pxelinux", false, null, "8a1c2b3d-0000-4e5f-9abc-def012345678", null, null },
        { "pxelinux.cfg/default", "Pxelinux", false, null, null, null, null },
        { "pxelinux.cfg/default-amd64", "Pxelinux", false, null, null, "amd64", null },
        { "pxelinux.cfg/default.amd64", "Pxelinux", false, null, null, "amd64", null },
        { "pxelinux.cfg/default-amd64-hwe_22", "Pxelinux", false, null, null, "amd64", "hwe_22" },
        { "pxelinux.cfg/default.i386-generic", "Pxelinux", false, null, null, "i386", "generic" },
        { "grub/grub.cfg", "Grub", true, null, null, null, null },
        { "/grub/grub.cfg", "Grub", true, null, null, null, null },
        { "grub/grub.cfg-52:54:00:12:34:01", "Grub", false, "52:54:00:12:34:01", null, null, null },
        { "grub/grub.cfg-52-54-00-12-34-0A", "Grub", false, "52:54:00:12:34:0a", null, null, null },
        { "grub/grub.cfg-default", "Grub", false, null, null, null, null },
        { "grub/grub.cfg-default-x86_64", "Grub", false, null, null, "amd64", null },
        { "grub/grub.cfg-default-arm64", "Grub", false, null, null, "arm64", null },
        { "grub/grub.cfg-default-amd64-generic", "Grub", false, null, null, "amd64", "generic" },
        { "ipxe.cfg", "Ipxe", true, null, null, null, null },
        { "/ipxe.cfg", "Ipxe", true, null, null, null, null },
        { "ipxe.cfg-52:54:00:12:34:01", "Ipxe", false, "52:54:00:12:34:01", null, null, null },
        { "ipxe.cfg-52:54:00:12:34:FF", "Ipxe", false, "52:54:00:12:34:ff", null, null, null },
        { "ipxe.cfg-default-amd64", "Ipxe", false, null, null, "amd64", null },
        { "ipxe.cfg-default-arm64-generic", "Ipxe", false, null, null, "arm64", "generic" },
    };

    [Theory]
    [MemberData(nameof(GeneratedNames))]
    public void Generated_names_are_recognised_with_their_identity(
        string path, string format, bool firstStage, string? mac, string? uuid, string? arch, string? subarch)
    {
        BootConfigFileName.TryParse(path, out var name).ShouldBeTrue();

        name.ShouldBe(new BootConfigFileName(Enum.Parse<BootConfigFormat>(format), firstStage, mac, uuid, arch, subarch));
    }

    [Theory]
    [InlineData("lpxelinux.0")]
    [InlineData("ldlinux.c32")]
    [InlineData("pxelinux.cfg/C0A80001")]
    [InlineData("pxelinux.cfg/01-52-54-00-12-34")]
    [InlineData("pxelinux.cfg/01-52:54:00:12:34:01")]
    [InlineData("pxelinux.cfg/02-52-54-00-12-34-01")]
    [InlineData("pxelinux.cfg/01-52-54-00-12-34-0g")]
    [InlineData("pxelinux.cfg/default-")]
    [InlineData("pxelinux.cfg/default-amd64-")]
    [InlineData("pxelinux.cfg/default-amd64/../x")]
    [InlineData("pxelinux.cfg/defaultamd64")]
    [InlineData("pxelinux.cfg/8a1c2b3d-0000-4e5f-9abc-def01234567")]
    [InlineData("grub/grub.cfgx")]
    [InlineData("grub/grub.cfg-")]
    [InlineData("grub/grub.cfg-52:54-00:12:34:01")]
    [InlineData("grub/x86_64-efi/normal.mod")]
    [InlineData("ipxe.cfg-")]
    [InlineData("ipxe.cfg-52:54:00:12:34")]
    [InlineData("ipxe.cfg-default-amd64-generic-extra")]
    [InlineData("images/ipxe.cfg")]
    [InlineData("")]
    public void Other_names_are_not_generated(string path)
    {
        BootConfigFileName.TryParse(path, out var name).ShouldBeFalse();
        name.ShouldBeNull();
    }

    [Theory]
    [InlineData("pxelinux.cfg/01-52-54-00-12-34-01", "pxe")]
    [InlineData("grub/grub.cfg-52:54:00:12:34:01", "uefi")]
    [InlineData("ipxe.cfg-52:54:00:12:34:01", "ipxe")]
    public void The_request_carries_the_client_addresses_the_mac_and_the_boot_method(string path, string method)
    {
        BootConfigFileName.TryParse(path, out var name).ShouldBeTrue();

        var request = name.ToRequest(new BootClient(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.1.0.50")));

        request.LocalIp.ShouldBe("10.1.0.1");
        request.RemoteIp.ShouldBe("10.1.0.50");
        request.Mac.ShouldBe("52:54:00:12:34:01");
        request.BiosBootMethod.ShouldBe(method);
    }

    [Fact]
    public void The_request_for_a_default_name_carries_its_architecture()
    {
        BootConfigFileName.TryParse("grub/grub.cfg-default-x86_64", out var name).ShouldBeTrue();

        var request = name.ToRequest(new BootClient(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.1.0.50")));

        request.Mac.ShouldBeNull();
        request.Arch.ShouldBe("amd64");
        request.Subarch.ShouldBeNull();
    }
}

using Anvil.Rack.Dhcp.Boot;
using Anvil.Rack.Dhcp.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

public sealed class BootFileSelectorTests
{
    /// <summary>maas-api.md §8.1: architecture / user class → method, file (rack 10.0.0.1), path prefix.</summary>
    public static TheoryData<string, int?, bool, string, string, string?> Table() => new()
    {
        { "BIOS PXE", 0x00, false, "pxe", "lpxelinux.0", "http://10.0.0.1:5248/" },
        { "no architecture (MAAS's final else)", null, false, "pxe", "lpxelinux.0", "http://10.0.0.1:5248/" },
        { "UEFI amd64 TFTP", 0x07, false, "uefi_amd64_tftp", "bootx64.efi", null },
        { "UEFI EBC", 0x09, false, "uefi_ebc_tftp", "bootx64.efi", null },
        { "UEFI arm64 TFTP", 0x0B, false, "uefi_arm64_tftp", "bootaa64.efi", null },
        { "UEFI amd64 HTTP", 0x10, false, "uefi_amd64_http", "http://10.0.0.1:5248/images/bootx64.efi", null },
        { "UEFI arm64 HTTP", 0x13, false, "uefi_arm64_http", "http://10.0.0.1:5248/images/bootaa64.efi", null },
        { "OpenFirmware ppc64el", 0x0C, false, "open-firmware_ppc64el", "bootppc64.bin", null },
        { "PowerNV", 0x0E, false, "powernv", "ppc64el/pxelinux.0", "ppc64el/" },
        { "s390x", 0x1F, false, "s390x", "s390x/boots390x.bin", null },
        { "s390x partition", 0x20, false, "s390x_partition", "s390x_partition/maas", null },
        { "iPXE on UEFI", 0x07, true, "ipxe", "http://10.0.0.1:5248/ipxe.cfg", null },
        { "iPXE on BIOS", 0x00, true, "ipxe", "http://10.0.0.1:5248/ipxe.cfg", null },
        { "unknown architecture", 0x06, false, "pxe", "lpxelinux.0", "http://10.0.0.1:5248/" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Boot_method_follows_the_maas_table(string client, int? architecture, bool ipxe, string method, string file, string? pathPrefix)
    {
        var selected = BootFileSelector.Select(new BootClient((ushort?)architecture, ipxe), []);

        selected.ShouldNotBeNull(client);
        selected.Name.ShouldBe(method, client);
        selected.FileFor("10.0.0.1").ShouldBe(file, client);
        selected.PathPrefixFor("10.0.0.1").ShouldBe(pathPrefix, client);
    }

    [Fact]
    public void A_disabled_method_gets_no_boot_file_rather_than_a_fallback()
    {
        BootFileSelector.Select(new BootClient(0x07, false), ["uefi_amd64_tftp"]).ShouldBeNull();
        BootFileSelector.Select(new BootClient(0x07, true), ["ipxe"]).ShouldBeNull();
        BootFileSelector.Select(new BootClient(0x07, false), ["pxe"])!.Name.ShouldBe("uefi_amd64_tftp");
    }

    public static TheoryData<string, byte[][], int?, bool> Clients() => new()
    {
        { "option 93", [[93, 0, 7]], 7, false },
        { "vendor class only", [[60, .. "PXEClient:Arch:00016:UNDI:003001"u8.ToArray()]], 16, false },
        { "HTTP client vendor class", [[60, .. "HTTPClient:Arch:00019"u8.ToArray()]], 19, false },
        { "option 93 wins over vendor class", [[93, 0, 0x0B], [60, .. "PXEClient:Arch:00007"u8.ToArray()]], 11, false },
        { "iPXE user class, raw", [[77, .. "iPXE"u8.ToArray()]], null, true },
        { "iPXE user class, RFC 3004", [[77, 4, .. "iPXE"u8.ToArray()]], null, true },
        { "iPXE option 175 present", [[175, 176, 1, 1]], null, true },
        { "broken vendor class", [[60, .. "PXEClient:Arch:0x007"u8.ToArray()]], null, false },
    };

    [Theory]
    [MemberData(nameof(Clients))]
    public void Client_firmware_is_read_from_options_93_60_77_and_175(string what, byte[][] options, int? architecture, bool ipxe)
    {
        var built = new ClientPacket(DhcpMessageType.Discover, 1);
        foreach (var option in options)
            built.With(option[0], option[1..]);
        var packet = new DhcpPacket();
        DhcpPacketReader.TryRead(built.ToBytes(), packet, out _).ShouldBeTrue(what);

        BootClient.From(packet).ShouldBe(new BootClient((ushort?)architecture, ipxe), what);
    }
}

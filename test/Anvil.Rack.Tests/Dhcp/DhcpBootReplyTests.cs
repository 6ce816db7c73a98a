using Anvil.Rack.Dhcp.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

public sealed class DhcpBootReplyTests
{
    [Fact]
    public void Bios_pxe_client_gets_lpxelinux_next_server_and_the_forced_path_prefix()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var offer = harness.Send(new ClientPacket(DhcpMessageType.Discover, 1)
            .With(DhcpOptionCode.ClientArchitecture, 0, 0)
            .WithText(DhcpOptionCode.VendorClass, "PXEClient:Arch:00000:UNDI:002001")
            .With(DhcpOptionCode.ParameterRequestList, 1, 3, 67))!;

        offer.File.ShouldBe("lpxelinux.0");
        offer.NextServer.ShouldBe("10.0.0.1");
        offer.String(DhcpOptionCode.PathPrefix).ShouldBe("http://10.0.0.1:5248/");
        offer.UInt32(DhcpOptionCode.LeaseTime).ShouldBe(30u);
    }

    [Fact]
    public void Ipxe_gets_the_http_script_and_option_175_176_so_it_skips_the_proxy_dhcp_wait()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var offer = harness.Send(new ClientPacket(DhcpMessageType.Discover, 1)
            .With(DhcpOptionCode.ClientArchitecture, 0, 7)
            .WithText(DhcpOptionCode.UserClass, "iPXE")
            .With(DhcpOptionCode.ParameterRequestList, 1, 3, 6, 175))!;

        offer.File.ShouldBe("http://10.0.0.1:5248/ipxe.cfg");
        offer.Options[DhcpOptionCode.IpxeEncapsulated].ShouldBe(new byte[] { 176, 1, 1 });
        offer.Options.ShouldNotContainKey(DhcpOptionCode.PathPrefix);
    }

    [Fact]
    public void Uefi_http_boot_gets_the_image_url_in_file_and_option_67_and_httpclient_vendor_class()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var offer = harness.Send(new ClientPacket(DhcpMessageType.Discover, 1)
            .With(DhcpOptionCode.ClientArchitecture, 0, 0x10)
            .WithText(DhcpOptionCode.VendorClass, "HTTPClient:Arch:00016")
            .With(DhcpOptionCode.ParameterRequestList, 1, 3, 6, 60, 67))!;

        offer.File.ShouldBe("http://10.0.0.1:5248/images/bootx64.efi");
        offer.String(DhcpOptionCode.BootFileName).ShouldBe("http://10.0.0.1:5248/images/bootx64.efi");
        offer.String(DhcpOptionCode.VendorClass).ShouldBe("HTTPClient");
    }

    [Fact]
    public void Uefi_arm64_tftp_client_gets_bootaa64()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var offer = harness.Send(new ClientPacket(DhcpMessageType.Discover, 1).With(DhcpOptionCode.ClientArchitecture, 0, 0x0B))!;

        offer.File.ShouldBe("bootaa64.efi");
        offer.Options.ShouldNotContainKey(DhcpOptionCode.VendorClass);
    }

    [Fact]
    public void A_subnet_that_disabled_the_clients_boot_method_answers_without_a_boot_file()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet() with { DisabledBootArchitectures = ["uefi_amd64_tftp"] }));

        var offer = harness.Send(new ClientPacket(DhcpMessageType.Discover, 1).With(DhcpOptionCode.ClientArchitecture, 0, 7))!;

        offer.Type.ShouldBe(DhcpMessageType.Offer);
        offer.File.ShouldBe("");
    }
}

using System.Text;
using System.Xml.Linq;
using Anvil.Domain.Commissioning;
using Shouldly;
using Xunit;

namespace Anvil.Region.Scripts;

public sealed class CommissioningParsersTests
{
    [Fact]
    public void Hardware_info_uses_maas_keys_and_names_the_chassis_type()
    {
        var info = HardwareInfo.From(MachineResourcesReader.Parse(Captures.Bytes(Captures.QemuResources)));

        info["system_vendor"].ShouldBe("QEMU");
        info["system_product"].ShouldBe("Standard PC (Q35 + ICH9, 2009)");
        info["mainboard_firmware_version"].ShouldBe("1.16.2-debian-1.16.2-1");
        info["chassis_type"].ShouldBe("Other");
        info["cpu_model"].ShouldBe("QEMU Virtual CPU version 2.5+");
        info.ContainsKey("system_uuid").ShouldBeFalse();
    }

    [Theory]
    [InlineData("6A1C5B0E-2F4D-4C39-9A53-2D5E0F7B1C11", "6a1c5b0e-2f4d-4c39-9a53-2d5e0f7b1c11")]
    [InlineData("00000000-0000-0000-0000-000000000000", null)]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff", null)]
    [InlineData("Not Settable", null)]
    public void Hardware_uuid_ignores_placeholders(string dmi, string? expected)
    {
        var resources = new MachineResources
        {
            Architecture = "amd64",
            Cpu = new CpuResources("", 1, 0),
            Dmi = new Dictionary<string, string> { ["system_uuid"] = dmi },
        };

        HardwareInfo.HardwareUuid(resources).ShouldBe(expected);
    }

    [Fact]
    public void Lshw_is_stored_under_a_list_root_so_system_paths_match()
    {
        var xml = ProbedXml.NormalizeLshw(Captures.Bytes(Captures.QemuLshw));

        var root = XElement.Parse(xml);
        root.Name.LocalName.ShouldBe("list");
        root.Element("node")!.Attribute("class")!.Value.ShouldBe("system");
        root.Element("node")!.Element("vendor")!.Value.ShouldBe("QEMU");
    }

    [Fact]
    public void Lshw_warnings_before_the_document_are_ignored()
    {
        var combined = Encoding.UTF8.GetBytes("WARNING: output may be incomplete or inaccurate, you should run this program as super-user.\n")
            .Concat(Captures.Bytes(Captures.HostLshw)).ToArray();

        XElement.Parse(ProbedXml.NormalizeLshw(combined)).Element("node").ShouldNotBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("lshw: command not found")]
    [InlineData("<node id=\"vm\" class=\"system\"><vendor>QEMU</ven")]
    [InlineData("<html><body>502</body></html>")]
    [InlineData("<list></list>")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><list>&e;</list>")]
    public void Unusable_lshw_output_is_refused(string output) =>
        Should.Throw<CommissioningOutputException>(() => ProbedXml.NormalizeLshw(Encoding.UTF8.GetBytes(output)))
            .ScriptName.ShouldBe("maas-lshw");

    [Fact]
    public void Truncated_lshw_capture_is_refused()
    {
        var full = Captures.Bytes(Captures.QemuLshw);

        Should.Throw<CommissioningOutputException>(() => ProbedXml.NormalizeLshw(full.AsSpan(0, full.Length / 2)));
    }

    [Fact]
    public void Lldp_capture_is_kept_and_empty_output_means_no_lldpd()
    {
        XElement.Parse(ProbedXml.NormalizeLldp(Captures.Bytes(Captures.Lldp))!).Element("interface")!.Attribute("name")!.Value.ShouldStartWith("vb");
        ProbedXml.NormalizeLldp("\n"u8).ShouldBeNull();
        Should.Throw<CommissioningOutputException>(() => ProbedXml.NormalizeLldp("<list/>"u8)).ScriptName.ShouldBe("maas-capture-lldpd");
    }

    [Fact]
    public void Lshw_names_devices_by_pci_address_and_nics_by_mac()
    {
        var names = LshwNames.From(ProbedXml.NormalizeLshw(Captures.Bytes(Captures.QemuLshw)));

        names.ByPciAddress["0000:00:03.0"].Vendor.ShouldBe("Intel Corporation");
        names.ByMac["52:54:00:a1:00:01"].Product.ShouldBe("82540EM Gigabit Ethernet Controller");
        names.ByMac.ContainsKey("52:54:00:a1:00:02").ShouldBeTrue();
        LshwNames.From("<list><broken").ByMac.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("15b3", "a2d6", true)] // BlueField-2 integrated ConnectX-6 Dx
    [InlineData("15B3", "A2DC", true)] // BlueField-3 integrated ConnectX-7
    [InlineData("15b3", "c2d5", true)] // BlueField-3 SoC management interface
    [InlineData("15b3", "1017", false)] // ConnectX-5, no DPU
    [InlineData("8086", "a2d6", false)]
    public void BlueField_functions_are_recognised_by_pci_id(string vendor, string product, bool expected) =>
        DpuDevices.IsBlueField(vendor, product).ShouldBe(expected);
}

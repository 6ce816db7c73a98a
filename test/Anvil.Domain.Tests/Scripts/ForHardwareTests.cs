using Anvil.Domain.Scripts;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Scripts;

public sealed class ForHardwareTests
{
    private static readonly NodeHardware Server = new(
        PciIds: ["8086:1533", "15b3:a2d6"],
        UsbIds: ["0bda:8153"],
        Modaliases:
        [
            "pci:v00008086d00001533sv000015D9sd00001533bc02sc00i00",
            "usb:v0BDAp8153d3000dc00dsc00dp00icFFisc00ip00in00",
            "dmi:bvnAmericanMegatrendsInc.:svnSupermicro:pnSYS-5019",
        ],
        HardwareInfo: new Dictionary<string, string>
        {
            ["system_vendor"] = "Supermicro",
            ["mainboard_product"] = "X11SCL-F",
            ["mainboard_firmware_version"] = "1.4",
            ["cpu_model"] = "Xeon",
        });

    [Fact]
    public void Matches_an_empty_list_on_every_node() =>
        ForHardware.Matches([], NodeHardware.None).ShouldBeTrue();

    [Theory]
    [InlineData("pci:8086:1533")]
    [InlineData("PCI:8086:1533")]
    [InlineData("pci:15B3:A2D6")]
    [InlineData("usb:0bda:8153")]
    [InlineData("modalias:pci:v00008086d00001533*")]
    [InlineData("modalias:dmi:*svnSupermicro*")]
    [InlineData("modalias:usb:v0BDAp????d*")]
    [InlineData("system_vendor:Supermicro")]
    [InlineData("mainboard_product:X11SCL-F")]
    [InlineData("mainboard_firmware_version:1.4")]
    public void Matches_an_entry_the_node_has(string entry) =>
        ForHardware.Matches([entry], Server).ShouldBeTrue();

    [Theory]
    [InlineData("pci:8086:10d3")]
    [InlineData("usb:046d:c52b")]
    [InlineData("modalias:pci:v000010DE*")]
    [InlineData("modalias:DMI:*")]
    [InlineData("system_vendor:supermicro")]
    [InlineData("system_product:SYS-5019")]
    [InlineData("cpu_model:Xeon")]
    [InlineData("nonsense")]
    public void Does_not_match_what_the_node_lacks(string entry) =>
        ForHardware.Matches([entry], Server).ShouldBeFalse();

    [Fact]
    public void Matches_when_any_entry_matches() =>
        ForHardware.Matches(["pci:10de:1eb8", "usb:0bda:8153"], Server).ShouldBeTrue();

    [Fact]
    public void Matches_a_pci_id_known_only_from_a_modalias_as_maas_does()
    {
        var fromModaliasOnly = new NodeHardware([], [], ["pci:v000010ECd00008168sv00001043sd00008677bc02sc00i00"], new Dictionary<string, string>());

        ForHardware.Matches(["pci:10ec:8168"], fromModaliasOnly).ShouldBeTrue();
    }

    [Theory]
    [InlineData("modalias:pci:*", true)]
    [InlineData("pci:8086:1533", true)]
    [InlineData("usb:0BDA:8153", true)]
    [InlineData("system_vendor:", true)]
    [InlineData("system_version:1.0", true)]
    [InlineData("mainboard_vendor:ASUS", true)]
    [InlineData("chassis_type:Rack Mount", true)]
    [InlineData("modalias:", false)]
    [InlineData("pci:8086", false)]
    [InlineData("pci:808g:1533", false)]
    [InlineData("usb:0bda:81531", false)]
    [InlineData("cpu_model:Xeon", false)]
    [InlineData("vendor", false)]
    public void IsValidEntry_accepts_the_forms_maas_accepts(string entry, bool valid) =>
        ForHardware.IsValidEntry(entry).ShouldBe(valid);

    [Fact]
    public void ParseList_reads_json_lists_and_comma_strings()
    {
        ForHardware.ParseList("""["pci:8086:1533", "usb:0bda:8153"]""", out var error).ShouldBe(["pci:8086:1533", "usb:0bda:8153"]);
        error.ShouldBeNull();
        ForHardware.ParseList("pci:8086:1533,usb:0bda:8153", out _).ShouldBe(["pci:8086:1533", "usb:0bda:8153"]);
        ForHardware.ParseList("""{"a": 1}""", out error).ShouldBeNull();
        error.ShouldBe("Must be a list or string");
    }
}

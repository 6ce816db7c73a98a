using System.Formats.Tar;
using System.Net;
using System.Text;
using Anvil.Lab.Fleet;
using Anvil.Lab.Fleet.Boot;
using Anvil.Lab.Fleet.Commissioning;
using Anvil.Lab.Fleet.Dhcp;
using Anvil.Lab.Fleet.Metadata;
using Xunit;

namespace Anvil.Lab.Tests.Fleet;

/// <summary>What the simulated machines read from the network: iPXE scripts, preseeds, script tars, DHCP replies.</summary>
public sealed class ParserTests
{
    private const string Mac = "52:54:0a:0b:00:02";

    [Fact]
    public void The_first_stage_ipxe_script_chains_to_the_per_mac_script_then_the_default()
    {
        var script = IpxeBootScript.Parse("#!ipxe\nchain http://${next-server}:5248/ipxe.cfg-${mac} || chain http://${next-server}:5248/ipxe.cfg-default-amd64\n", Mac, "10.1.0.1");

        script.Action.ShouldBe(BootScriptAction.Chain);
        script.ChainUrls.ShouldBe([$"http://10.1.0.1:5248/ipxe.cfg-{Mac}", "http://10.1.0.1:5248/ipxe.cfg-default-amd64"]);
    }

    [Fact]
    public void A_network_boot_script_gives_kernel_initrd_and_the_preseed_url_on_the_command_line()
    {
        var script = IpxeBootScript.Parse(
            "#!ipxe\necho Anvil: booting x\nkernel --name kernel http://r:5248/images/k initrd=initrd nomodeset cloud-config-url=http://r:5248/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed BOOTIF=01-${mac}\ninitrd --name initrd http://r:5248/images/i\nboot\n",
            Mac, "r");

        script.Action.ShouldBe(BootScriptAction.NetworkBoot);
        script.KernelUrl.ShouldBe("http://r:5248/images/k");
        script.InitrdUrl.ShouldBe("http://r:5248/images/i");
        script.Argument("cloud-config-url").ShouldBe("http://r:5248/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed");
        script.Argument("BOOTIF").ShouldBe("01-" + Mac);
    }

    [Theory]
    [InlineData("#!ipxe\necho Anvil: booting from the local disk\niseq ${platform} efi && exit ||\nsanboot --no-describe --drive 0x80\n", "LocalDisk")]
    [InlineData("#!ipxe\necho Anvil: booting from the local disk\nexit\n", "LocalDisk")]
    [InlineData("#!ipxe\necho Anvil: nothing to do, powering off\npoweroff ||\necho idle\n:idle\nsleep 3600\ngoto idle\n", "PowerOff")]
    [InlineData("#!ipxe\necho Anvil: no boot image for x\nsleep 10\nexit\n", "NoImage")]
    public void Other_scripts_say_what_the_machine_does_instead(string text, string expected) =>
        IpxeBootScript.Parse(text, Mac, "r").Action.ToString().ShouldBe(expected);

    [Fact]
    public void A_preseed_yields_the_metadata_url_and_the_node_token()
    {
        var preseed = Preseed.Parse("#cloud-config\ndatasource:\n  MAAS:\n    consumer_key: ck1\n    metadata_url: http://r:5248/MAAS/metadata/\n    token_key: tk1\n    token_secret: 'ts1'\n");

        preseed.MetadataUrl.ShouldBe("http://r:5248/MAAS/metadata/");
        preseed.Token.ShouldNotBeNull();
        (preseed.Token.ConsumerKey, preseed.Token.TokenKey, preseed.Token.TokenSecret).ShouldBe(("ck1", "tk1", "ts1"));
    }

    [Fact]
    public void The_enlistment_preseed_has_no_token()
    {
        var preseed = Preseed.Parse("#cloud-config\ndatasource: {MAAS: {metadata_url: \"http://r:5248/MAAS/metadata/\"}}\n");

        preseed.MetadataUrl.ShouldBe("http://r:5248/MAAS/metadata/");
        preseed.Token.ShouldBeNull();
    }

    [Fact]
    public void The_scripts_tar_index_lists_pending_items_by_section()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var json = """
                {"1.0": {"commissioning_scripts": [{"name": "maas-lshw", "script_result_id": 7, "script_version_id": 3, "parallel": 0},
                {"name": "done", "script_result_id": 8, "has_finished": true}], "testing_scripts": []}}
                """;
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "index.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(json)) });
        }

        var index = ScriptIndex.FromTar(tar.ToArray());

        index.Pending("commissioning_scripts").ShouldBe([new ScriptItem("maas-lshw", 7, 3, 0, false)]);
        index.IsEmpty("testing_scripts").ShouldBeTrue();
        index.Has("release_scripts").ShouldBeFalse();
    }

    [Fact]
    public void An_empty_body_means_nothing_to_run() => ScriptIndex.FromTar([]).Has("commissioning_scripts").ShouldBeFalse();

    [Fact]
    public void A_dhcp_discover_carries_the_machines_mac_with_the_broadcast_flag_and_the_ipxe_user_class()
    {
        var mac = new byte[] { 0x52, 0x54, 0x0a, 0x0b, 0x00, 0x02 };

        var packet = DhcpClientMessage.Discover(0x01020304, mac, DhcpClientKind.Ipxe);

        packet[0].ShouldBe((byte)1);
        packet.AsSpan(28, 6).ToArray().ShouldBe(mac);
        (packet[10] & 0x80).ShouldBe(0x80);
        Encoding.ASCII.GetString(packet).ShouldContain("iPXE");
        Encoding.ASCII.GetString(packet).ShouldContain("PXEClient:Arch:00000");
    }

    [Fact]
    public void A_dhcp_ack_reads_as_address_server_prefix_and_boot_file()
    {
        var reply = new byte[300];
        reply[0] = 2;
        reply[1] = 1;
        reply[2] = 6;
        reply[4] = 9;
        new byte[] { 10, 1, 0, 100 }.CopyTo(reply, 16);
        new byte[] { 0x52, 0x54, 0, 0, 0, 1 }.CopyTo(reply, 28);
        new byte[] { 0x63, 0x82, 0x53, 0x63 }.CopyTo(reply, 236);
        byte[] options = [53, 1, 5, 54, 4, 10, 1, 0, 1, 1, 4, 255, 255, 240, 0, 67, 4, (byte)'h', (byte)'t', (byte)'t', (byte)'p', 255];
        options.CopyTo(reply, 240);

        DhcpClientMessage.TryRead(reply, out var ack).ShouldBeTrue();

        (ack.Kind, ack.YourAddress, ack.ServerId, ack.PrefixLength, ack.BootFile).ShouldBe((DhcpMessageKind.Ack, IPAddress.Parse("10.1.0.100"), IPAddress.Parse("10.1.0.1"), 20, "http"));
    }

    [Fact]
    public void A_truncated_dhcp_reply_is_dropped_not_thrown()
    {
        var reply = new byte[245];
        reply[0] = 2;
        reply[1] = 1;
        reply[2] = 6;
        new byte[] { 0x63, 0x82, 0x53, 0x63 }.CopyTo(reply, 236);
        reply[240] = 53;
        reply[241] = 40; // longer than what is left

        DhcpClientMessage.TryRead(reply, out _).ShouldBeFalse();
    }

    [Fact]
    public void Commissioning_outputs_carry_the_machines_own_macs_serials_and_uuid()
    {
        var machine = MachineIdentity.Create(3, [0x0a, 0x0b]);

        var resources = Encoding.UTF8.GetString(CommissioningOutputs.For("20-maas-03-machine-resources", machine, ""));
        var lshw = Encoding.UTF8.GetString(CommissioningOutputs.For("maas-lshw", machine, ""));

        foreach (var text in (string[])[resources, lshw])
        {
            text.ShouldContain(machine.BootMacText);
            text.ShouldContain(machine.SecondMacText);
            text.ShouldNotContain("52:54:00:a1:00:01");
            text.ShouldNotContain("ANVIL-SN-0001");
        }

        resources.ShouldContain(machine.Uuid.ToString());
        resources.ShouldContain("VDA-" + machine.Serial);
        CommissioningOutputs.For("smartctl-validate", machine, "").ShouldBeEmpty();
    }

    [Fact]
    public void Machines_of_one_fleet_have_distinct_macs()
    {
        var macs = Enumerable.Range(0, 1000).Select(i => MachineIdentity.Create(i, [1, 2])).SelectMany(m => new[] { m.BootMacText, m.SecondMacText }).ToList();

        macs.Distinct().Count().ShouldBe(2000);
    }

    [Fact]
    public void Percentiles_take_the_nearest_rank()
    {
        var d = Distribution.Of(Enumerable.Range(1, 100).Select(i => (double)i));

        (d.Count, d.P50, d.P95, d.Max).ShouldBe((100, 50.0, 95.0, 100.0));
    }
}

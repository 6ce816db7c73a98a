using System.Text;
using System.Text.Json.Nodes;
using Anvil.Domain.Commissioning;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Scripts;

public sealed class CommissioningResultsTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private readonly CommissioningResults results = new();

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Machine_resources_fill_the_node_fields_disks_nics_and_devices()
    {
        var node = await NewNodeAsync();
        var json = Captures.Bytes(Captures.QemuResources);

        await ProcessAsync(node, MachineResourcesReader.ScriptName, Unique(json));

        var row = await QueryOneAsync<(int CpuCount, int CpuSpeed, int Memory, string Architecture, string HardwareInfo, string? HardwareUuid, bool IsDpu)>(
            "SELECT cpu_count, cpu_speed, memory, architecture, hardware_info::text, hardware_uuid, is_dpu FROM node WHERE id = @node", node);
        row.CpuCount.ShouldBe(2);
        row.CpuSpeed.ShouldBeGreaterThan(0);
        row.Memory.ShouldBe(2048);
        row.Architecture.ShouldBe("amd64/generic");
        row.IsDpu.ShouldBeFalse();
        row.HardwareUuid.ShouldNotBeNull().Length.ShouldBe(36);
        var info = JsonNode.Parse(row.HardwareInfo)!;
        info["system_vendor"]!.GetValue<string>().ShouldBe("QEMU");
        info["system_serial"]!.GetValue<string>().ShouldBe("ANVIL-SN-0001");
        info["mainboard_firmware_vendor"]!.GetValue<string>().ShouldBe("SeaBIOS");
        info["chassis_type"]!.GetValue<string>().ShouldBe("Other");
        info["cpu_model"]!.GetValue<string>().ShouldBe("QEMU Virtual CPU version 2.5+");

        var disks = await QueryAsync<(string Name, string Serial, long Size, string[] Tags)>(
            "SELECT name, serial, size, tags FROM blockdevice WHERE node_id = @node ORDER BY name", node);
        disks.Select(d => (d.Name, d.Serial, d.Size, string.Join(',', d.Tags))).ShouldBe(
            [("sda", "ANVILSATA02", 8L << 30, "ssd"), ("vda", "ANVILDISK01", 20L << 30, "rotary")]);
        var nics = await QueryAsync<(string Name, string Mac, string Type)>(
            "SELECT name, mac_address::text, type FROM interface WHERE node_id = @node ORDER BY name", node);
        nics.Select(n => (n.Name, n.Type)).ShouldBe([("eth0", "physical"), ("eth1", "physical")]);
        var devices = await QueryAsync<(int Bus, int HardwareType, string VendorId, string ProductId, string Driver, string? PciAddress)>(
            "SELECT bus, hardware_type, vendor_id, product_id, commissioning_driver, pci_address FROM node_device WHERE node_id = @node", node);
        devices.ShouldContain((1, 4, "8086", "100e", "e1000", "0000:00:03.0"));
        devices.ShouldContain(d => d.Bus == 2 && d.VendorId == "0627");
        devices.Count.ShouldBe(12);
        (await TagsAsync(node)).ShouldContain("virtual");
    }

    [Fact]
    public async Task Commissioning_again_replaces_rather_than_adds_and_keeps_ids_of_unchanged_disks()
    {
        var node = await NewNodeAsync();
        var json = Unique(Captures.Bytes(Captures.QemuResources));
        await ProcessAsync(node, MachineResourcesReader.ScriptName, json);
        var before = await QueryAsync<(long Id, string Serial)>("SELECT id, serial FROM blockdevice WHERE node_id = @node ORDER BY serial", node);
        var nicIds = await QueryAsync<long>("SELECT id FROM interface WHERE node_id = @node ORDER BY id", node);

        // The SATA disk was swapped for another one, and the kernel now names the disks the other way round.
        var changed = Encoding.UTF8.GetString(json).Replace("ANVILSATA02", "NEWDISK99", StringComparison.Ordinal)
            .Replace("\"name\":\"sda\"", "\"name\":\"tmp\"", StringComparison.Ordinal)
            .Replace("\"name\":\"vda\"", "\"name\":\"sda\"", StringComparison.Ordinal)
            .Replace("\"name\":\"tmp\"", "\"name\":\"vda\"", StringComparison.Ordinal);
        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(changed));
        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(changed));

        var after = await QueryAsync<(long Id, string Serial, string Name)>("SELECT id, serial, name FROM blockdevice WHERE node_id = @node ORDER BY serial", node);
        after.Count.ShouldBe(2);
        after.Single(d => d.Serial == before[0].Serial).Id.ShouldBe(before[0].Id);
        after.Single(d => d.Serial == before[0].Serial).Name.ShouldBe("sda");
        after.ShouldContain(d => d.Serial == "NEWDISK99" && d.Id != before[1].Id);
        (await QueryAsync<long>("SELECT id FROM interface WHERE node_id = @node ORDER BY id", node)).ShouldBe(nicIds);
        (await QueryOneAsync<int>("SELECT count(*)::int FROM node_device WHERE node_id = @node", node)).ShouldBe(12);
    }

    [Fact]
    public async Task Enlisted_nics_are_matched_by_mac_and_vanished_ones_go_unless_addresses_hang_on_them()
    {
        var node = await NewNodeAsync();
        var json = Encoding.UTF8.GetString(Unique(Captures.Bytes(Captures.QemuResources)));
        var macs = JsonNode.Parse(json)!["network"]!.AsArray().Select(n => n!["mac"]!.GetValue<string>()).ToArray();
        var enlisted = await QueryOneAsync<long>(
            "INSERT INTO interface (node_id, name, type, mac_address) VALUES (@node, 'eth9', 'physical', @mac::macaddr) RETURNING id", node, new { mac = macs[0] });
        var stale = await QueryOneAsync<long>(
            "INSERT INTO interface (node_id, name, type, mac_address) VALUES (@node, 'eth0', 'physical', @mac::macaddr) RETURNING id", node, new { mac = RandomMac() });
        var linked = await QueryOneAsync<long>(
            "INSERT INTO interface (node_id, name, type, mac_address) VALUES (@node, 'old1', 'physical', @mac::macaddr) RETURNING id", node, new { mac = RandomMac() });
        var address = await QueryOneAsync<long>("INSERT INTO staticipaddress (alloc_type) VALUES (5) RETURNING id", node);
        await QueryOneAsync<int>("INSERT INTO interface_ip (interface_id, staticipaddress_id) VALUES (@linked, @address) RETURNING 1", node, new { linked, address });

        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(json));

        var nics = await QueryAsync<(long Id, string Name, bool LinkConnected)>("SELECT id, name, link_connected FROM interface WHERE node_id = @node ORDER BY id", node);
        nics.ShouldContain((enlisted, "eth0", false));
        nics.ShouldNotContain(n => n.Id == stale);
        nics.ShouldContain((linked, "old1", false));
        nics.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Lshw_is_stored_names_devices_and_xpath_tags_land_on_the_node()
    {
        var node = await NewNodeAsync();
        var suffix = Suffix();
        await InsertTagAsync($"qemu-{suffix}", "//node[@class='system']/vendor = 'QEMU'");
        await InsertTagAsync($"dell-{suffix}", "//node[@class='system']/vendor = 'Dell Inc.'");
        await InsertTagAsync($"lshwns-{suffix}", "//lshw:node[@class='system']/lshw:product = 'Standard PC (Q35 + ICH9, 2009)'");
        await InsertTagAsync($"nic-{suffix}", "//node[@class='network']/product = '82540EM Gigabit Ethernet Controller'");
        var json = Unique(Captures.Bytes(Captures.QemuResources));
        var lshw = Captures.Text(Captures.QemuLshw).Replace("52:54:00:a1:00:01", JsonNode.Parse(json)!["network"]![0]!["mac"]!.GetValue<string>(), StringComparison.Ordinal);

        await ProcessAsync(node, MachineResourcesReader.ScriptName, json);
        await ProcessAsync(node, "maas-lshw", Encoding.UTF8.GetBytes(lshw));

        var tags = await TagsAsync(node);
        tags.ShouldContain($"qemu-{suffix}");
        tags.ShouldContain($"lshwns-{suffix}");
        tags.ShouldContain($"nic-{suffix}");
        tags.ShouldNotContain($"dell-{suffix}");
        (await QueryOneAsync<string>("SELECT lshw FROM node_probed_details WHERE node_id = @node", node)).ShouldStartWith("<list>");
        (await QueryOneAsync<string>("SELECT vendor_name FROM node_device WHERE node_id = @node AND pci_address = '0000:00:03.0'", node)).ShouldBe("Intel Corporation");
        (await QueryOneAsync<string>("SELECT product FROM interface WHERE node_id = @node AND name = 'eth0'", node)).ShouldBe("82540EM Gigabit Ethernet Controller");
    }

    [Fact]
    public async Task A_tag_no_longer_matching_is_removed_when_lshw_changes()
    {
        var node = await NewNodeAsync();
        var tag = $"qemu-{Suffix()}";
        await InsertTagAsync(tag, "//node[@class='system']/vendor = 'QEMU'");
        await ProcessAsync(node, "maas-lshw", Captures.Bytes(Captures.QemuLshw));
        (await TagsAsync(node)).ShouldContain(tag);

        await ProcessAsync(node, "maas-lshw", Captures.Bytes(Captures.HostLshw));

        (await TagsAsync(node)).ShouldNotContain(tag);
    }

    [Fact]
    public async Task Lldp_neighbours_are_stored_and_usable_in_tags()
    {
        var node = await NewNodeAsync();
        var tag = $"switch-{Suffix()}";
        await InsertTagAsync(tag, "//lldp:chassis/lldp:descr = 'Switch A test'");

        await ProcessAsync(node, "maas-capture-lldpd", Captures.Bytes(Captures.Lldp));

        (await QueryOneAsync<string>("SELECT lldp FROM node_probed_details WHERE node_id = @node", node)).ShouldStartWith("<lldp");
        (await TagsAsync(node)).ShouldContain(tag);
    }

    [Fact]
    public async Task A_bluefield_gives_the_dpu_tag_and_its_absence_removes_it()
    {
        var node = await NewNodeAsync();
        var json = JsonNode.Parse(Unique(Captures.Bytes(Captures.QemuResources)))!;
        json["pci"]!.AsArray().Add(new JsonObject { ["address"] = "0000:03:00.0", ["vendor_id"] = "15b3", ["product_id"] = "a2d6", ["class"] = "020000" });

        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(json.ToJsonString()));
        (await TagsAsync(node)).ShouldContain("dpu");

        json["pci"]!.AsArray().RemoveAt(json["pci"]!.AsArray().Count - 1);
        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(json.ToJsonString()));
        (await TagsAsync(node)).ShouldNotContain("dpu");
    }

    [Fact]
    public async Task A_machine_whose_firmware_says_bluefield_is_itself_a_dpu()
    {
        var node = await NewNodeAsync();
        var json = JsonNode.Parse(Unique(Captures.Bytes(Captures.QemuResources)))!;
        json["dmi"]!["system_product"] = "BlueField-2 DPU 25GbE Dual-Port SFP56";
        json["architecture"] = "arm64";

        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(json.ToJsonString()));

        (await QueryOneAsync<bool>("SELECT is_dpu FROM node WHERE id = @node", node)).ShouldBeTrue();
        (await QueryOneAsync<string>("SELECT architecture FROM node WHERE id = @node", node)).ShouldBe("arm64/generic");
    }

    [Theory]
    [InlineData("20-maas-03-machine-resources", "")]
    [InlineData("20-maas-03-machine-resources", "{\"format\":\"anvil-resources\",\"version\":1,\"architecture\":\"amd64\",\"cpu\":{\"count\":8},\"memory\":{\"total_bytes\":1}")]
    [InlineData("maas-lshw", "<node id=\"x\" class=\"system\"><vendor>Dell Inc.</vendor>")]
    [InlineData("maas-capture-lldpd", "<lldp><interface")]
    public async Task Unusable_output_changes_nothing(string script, string output)
    {
        var node = await NewNodeAsync();
        await ProcessAsync(node, MachineResourcesReader.ScriptName, Unique(Captures.Bytes(Captures.QemuResources)));
        await ProcessAsync(node, "maas-lshw", Captures.Bytes(Captures.QemuLshw));
        var before = await SnapshotAsync(node);

        var thrown = await Should.ThrowAsync<CommissioningOutputException>(() => ProcessAsync(node, script, Encoding.UTF8.GetBytes(output)));

        thrown.ScriptName.ShouldBe(script);
        (await SnapshotAsync(node)).ShouldBe(before);
    }

    [Fact]
    public async Task Scripts_without_inventory_are_accepted_and_ignored()
    {
        var node = await NewNodeAsync();
        var before = await SnapshotAsync(node);

        await ProcessAsync(node, "maas-kernel-cmdline", "console=ttyS0 BOOTIF=01-52-54-00-a1-00-01"u8.ToArray());
        await ProcessAsync(node, "30-maas-01-bmc-config", "No IPMI BMC found"u8.ToArray());
        await ProcessAsync(node, "maas-list-modaliases", Captures.Bytes("qemu-q35-modaliases.txt"));

        (await SnapshotAsync(node)).ShouldBe(before);
    }

    // Gives the capture's NICs MACs of their own: a physical MAC belongs to one machine only.
    [Fact]
    public async Task The_firmware_the_environment_booted_with_becomes_the_boot_method_and_an_old_report_keeps_it()
    {
        var node = await NewNodeAsync();
        var json = JsonNode.Parse(Unique(Captures.Bytes(Captures.QemuResources)))!;
        json["firmware"] = "uefi";

        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(json.ToJsonString()));
        (await QueryOneAsync<string?>("SELECT bios_boot_method FROM node WHERE id = @node", node)).ShouldBe("uefi");

        json.AsObject().Remove("firmware");
        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(json.ToJsonString()));
        (await QueryOneAsync<string?>("SELECT bios_boot_method FROM node WHERE id = @node", node)).ShouldBe("uefi");

        json["firmware"] = "bios";
        await ProcessAsync(node, MachineResourcesReader.ScriptName, Encoding.UTF8.GetBytes(json.ToJsonString()));
        (await QueryOneAsync<string?>("SELECT bios_boot_method FROM node WHERE id = @node", node)).ShouldBe("pxe");
    }

    private static byte[] Unique(byte[] resources)
    {
        var json = JsonNode.Parse(resources)!;
        foreach (var nic in json["network"]!.AsArray())
            nic!["mac"] = RandomMac();
        json["dmi"]!["system_uuid"] = Guid.NewGuid().ToString();
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static string RandomMac() => "02:" + string.Join(':', Enumerable.Range(0, 5).Select(_ => Random.Shared.Next(256).ToString("x2")));

    private async Task ProcessAsync(long node, string script, byte[] output) =>
        await fixture.Database.Database.InTransactionAsync((c, tx) => results.ApplyAsync(c, tx, node, script, output, CancellationToken.None), CancellationToken.None);

    private async Task<long> NewNodeAsync()
    {
        var name = "commission-" + Suffix();
        return await QueryOneAsync<long>("INSERT INTO node (system_id, hostname, domain_id, zone_id) VALUES (@name, @name, 0, 1) RETURNING id", 0, new { name });
    }

    private Task<long> InsertTagAsync(string name, string definition) =>
        QueryOneAsync<long>("INSERT INTO tag (name, definition) VALUES (@name, @definition) RETURNING id", 0, new { name, definition });

    private async Task<IReadOnlyList<string>> TagsAsync(long node) =>
        await QueryAsync<string>("SELECT t.name FROM node_tag nt JOIN tag t ON t.id = nt.tag_id WHERE nt.node_id = @node ORDER BY t.name", node);

    private async Task<string> SnapshotAsync(long node) =>
        await QueryOneAsync<string>(
            """
            SELECT json_build_object(
                'node', (SELECT row_to_json(x) FROM (SELECT cpu_count, cpu_speed, memory, architecture, hardware_info, hardware_uuid, is_dpu FROM node WHERE id = @node) x),
                'disks', (SELECT json_agg(b ORDER BY b.id) FROM (SELECT id, name, serial, size, tags FROM blockdevice WHERE node_id = @node) b),
                'nics', (SELECT json_agg(i ORDER BY i.id) FROM (SELECT id, name, mac_address, vendor, product FROM interface WHERE node_id = @node) i),
                'devices', (SELECT count(*) FROM node_device WHERE node_id = @node),
                'details', (SELECT md5(coalesce(lshw, '') || coalesce(lldp, '')) FROM node_probed_details WHERE node_id = @node),
                'tags', (SELECT json_agg(tag_id ORDER BY tag_id) FROM node_tag WHERE node_id = @node))::text
            """,
            node);

    private async Task<T> QueryOneAsync<T>(string sql, long node, object? extra = null)
    {
        await using var c = await fixture.Database.DataSource.OpenConnectionAsync();
        var parameters = new DynamicParameters(extra);
        parameters.Add("node", node);
        return await c.QuerySingleAsync<T>(sql, parameters);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, long node)
    {
        await using var c = await fixture.Database.DataSource.OpenConnectionAsync();
        return (await c.QueryAsync<T>(sql, new { node })).AsList();
    }
}

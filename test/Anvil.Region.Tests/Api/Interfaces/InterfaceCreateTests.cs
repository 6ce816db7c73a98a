using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Api.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Interfaces;

public sealed class InterfaceCreateTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly InterfaceSetup _setup = new(host);

    [Fact]
    public async Task Read_lists_the_machines_interfaces_with_every_field()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);

        var list = await (await admin.Client.GetAsync(InterfaceSetup.Path(systemId))).ShouldBeJsonAsync();

        var nic = list.EnumerateArray().Single();
        nic.GetProperty("id").GetInt64().ShouldBe(eth0);
        nic.GetProperty("system_id").GetString().ShouldBe(systemId);
        nic.GetProperty("type").GetString().ShouldBe("physical");
        nic.GetProperty("links").GetArrayLength().ShouldBe(0);
        nic.GetProperty("params").GetString().ShouldBe("");
        nic.GetProperty("discovered").ValueKind.ShouldBe(JsonValueKind.Null);
        nic.GetProperty("effective_mtu").GetInt32().ShouldBe(1500);
        nic.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/nodes/{systemId}/interfaces/{eth0}/");
        foreach (var field in (string[])["vlan", "mac_address", "parents", "children", "tags", "enabled", "vendor", "product", "firmware_version", "link_connected", "interface_speed", "link_speed", "numa_node", "sriov_max_vf"])
            nic.TryGetProperty(field, out _).ShouldBeTrue(field);
    }

    [Fact]
    public async Task Read_of_an_unknown_interface_or_node_is_404()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin);
        (await admin.Client.GetAsync(InterfaceSetup.Path(systemId, 999999999))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.Client.GetAsync(InterfaceSetup.Path("nosuch"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_physical_names_it_ethN_puts_it_on_the_vlan_and_audits()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin);
        var (fabric, untagged, _) = await _setup.FabricAsync();
        var mac = MachineSetup.NewMac().ToUpperInvariant();

        var nic = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_physical",
            ("mac_address", mac), ("vlan", untagged.ToString()), ("tags", "a,b"), ("mtu", "9000"))).ShouldBeJsonAsync();

        nic.GetProperty("name").GetString().ShouldBe("eth1");
        nic.GetProperty("mac_address").GetString().ShouldBe(mac.ToLowerInvariant());
        nic.GetProperty("vlan").GetProperty("id").GetInt64().ShouldBe(untagged);
        nic.GetProperty("vlan").GetProperty("fabric").GetString().ShouldBe(fabric);
        nic.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["a", "b"]);
        nic.GetProperty("effective_mtu").GetInt32().ShouldBe(9000);
        nic.GetProperty("params").GetProperty("mtu").GetInt32().ShouldBe(9000);
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "create_physical");
    }

    [Fact]
    public async Task Create_physical_refuses_a_bad_or_used_mac_and_a_taken_name()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        var used = (await InterfaceSetup.ReadAsync(admin, systemId, eth0)).GetProperty("mac_address").GetString()!;

        var bad = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_physical", ("mac_address", "zz"))).ShouldBeFieldErrorsAsync();
        bad.Keys.ShouldContain("mac_address");
        var dup = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_physical", ("mac_address", used))).ShouldBeFieldErrorsAsync();
        dup.Keys.ShouldContain("mac_address");
        var name = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_physical", ("mac_address", MachineSetup.NewMac()), ("name", "eth0"))).ShouldBeFieldErrorsAsync();
        name.Keys.ShouldContain("name");
        var missing = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_physical")).ShouldBeFieldErrorsAsync();
        missing.Keys.ShouldContain("mac_address");
    }

    [Fact]
    public async Task Create_bond_takes_its_parents_with_default_params_and_renders_the_hierarchy()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        var eth1 = await InterfaceSetup.CreatePhysicalAsync(admin, systemId);

        var bond = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bond",
            ("name", "bond0"), ("parents", eth1.ToString()), ("parents", eth0.ToString()), ("bond_mode", "802.3ad"), ("bond_lacp_rate", "fast"))).ShouldBeJsonAsync();

        bond.GetProperty("type").GetString().ShouldBe("bond");
        bond.GetProperty("parents").EnumerateArray().Select(p => p.GetString()).ShouldBe(["eth0", "eth1"]);
        var p = bond.GetProperty("params");
        p.GetProperty("bond_mode").GetString().ShouldBe("802.3ad");
        p.GetProperty("bond_lacp_rate").GetString().ShouldBe("fast");
        p.GetProperty("bond_miimon").GetInt32().ShouldBe(100);
        p.GetProperty("bond_xmit_hash_policy").GetString().ShouldBe("layer2");
        (await InterfaceSetup.ReadAsync(admin, systemId, eth0)).GetProperty("children").EnumerateArray().Select(c => c.GetString()).ShouldBe(["bond0"]);
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "create_bond");
    }

    [Fact]
    public async Task Create_bond_refuses_bad_params_and_parents_already_bonded()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);

        var bad = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bond",
            ("name", "bond0"), ("parents", eth0.ToString()), ("bond_mode", "fastest"), ("bond_xmit_hash_policy", "layer9"), ("bond_miimon", "-1"), ("bond_lacp_rate", "medium"))).ShouldBeFieldErrorsAsync();
        bad.Keys.ShouldBe(["bond_mode", "bond_lacp_rate", "bond_xmit_hash_policy", "bond_miimon"], ignoreOrder: true);
        (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bond", ("name", "bond0"), ("parents", eth0.ToString()))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var taken = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bond", ("name", "bond1"), ("parents", eth0.ToString()))).ShouldBeFieldErrorsAsync();
        taken.Keys.ShouldContain("parents");
        var unknown = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bond", ("name", "bond2"), ("parents", "999999999"))).ShouldBeFieldErrorsAsync();
        unknown.Keys.ShouldContain("parents");
    }

    [Fact]
    public async Task Create_bridge_defaults_its_name_and_params_and_refuses_parent_and_parents_together()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        var eth1 = await InterfaceSetup.CreatePhysicalAsync(admin, systemId);

        var both = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bridge", ("parent", eth0.ToString()), ("parents", eth1.ToString()))).ShouldBeFieldErrorsAsync();
        both.Keys.ShouldContain("parents");
        var badType = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bridge", ("parent", eth0.ToString()), ("bridge_type", "linux"))).ShouldBeFieldErrorsAsync();
        badType.Keys.ShouldContain("bridge_type");

        var bridge = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bridge", ("parent", eth0.ToString()), ("bridge_stp", "true"))).ShouldBeJsonAsync();
        bridge.GetProperty("name").GetString().ShouldBe("br-eth0");
        bridge.GetProperty("type").GetString().ShouldBe("bridge");
        bridge.GetProperty("params").GetProperty("bridge_type").GetString().ShouldBe("standard");
        bridge.GetProperty("params").GetProperty("bridge_stp").GetBoolean().ShouldBeTrue();
        bridge.GetProperty("params").GetProperty("bridge_fd").GetInt32().ShouldBe(15);
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "create_bridge");
    }

    [Fact]
    public async Task Create_vlan_names_it_parent_dot_vid_and_refuses_untagged_or_duplicate_vlans()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin);
        var (_, untagged, tagged) = await _setup.FabricAsync(vid: 42);
        var eth1 = await InterfaceSetup.CreatePhysicalAsync(admin, systemId, ("vlan", untagged.ToString()));

        var notTagged = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_vlan", ("parent", eth1.ToString()), ("vlan", untagged.ToString()))).ShouldBeFieldErrorsAsync();
        notTagged.Keys.ShouldContain("vlan");
        var vlan = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_vlan", ("parent", eth1.ToString()), ("vlan", tagged.ToString()))).ShouldBeJsonAsync();
        vlan.GetProperty("name").GetString().ShouldBe("eth1.42");
        vlan.GetProperty("type").GetString().ShouldBe("vlan");
        vlan.GetProperty("vlan").GetProperty("vid").GetInt32().ShouldBe(42);
        vlan.GetProperty("parents").EnumerateArray().Single().GetString().ShouldBe("eth1");
        var again = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_vlan", ("parent", eth1.ToString()), ("vlan", tagged.ToString()))).ShouldBeFieldErrorsAsync();
        again.Keys.ShouldContain("vlan");
        var missing = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_vlan", ("parent", eth1.ToString()))).ShouldBeFieldErrorsAsync();
        missing.Keys.ShouldContain("vlan");
    }
}

using System.Net;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Interfaces;

public sealed class InterfaceUpdateTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly InterfaceSetup _setup = new(host);

    [Fact]
    public async Task Update_changes_the_physical_fields_and_audits()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        var (_, untagged, _) = await _setup.FabricAsync();

        var nic = await (await admin.Client.PutAsync(InterfaceSetup.Path(systemId, eth0),
            ("name", "lan0"), ("vlan", untagged.ToString()), ("mtu", "1400"), ("link_speed", "1000"), ("link_connected", "false"), ("accept_ra", "true"))).ShouldBeJsonAsync();

        nic.GetProperty("name").GetString().ShouldBe("lan0");
        nic.GetProperty("vlan").GetProperty("id").GetInt64().ShouldBe(untagged);
        nic.GetProperty("effective_mtu").GetInt32().ShouldBe(1400);
        nic.GetProperty("link_speed").GetInt32().ShouldBe(1000);
        nic.GetProperty("link_connected").GetBoolean().ShouldBeFalse();
        nic.GetProperty("params").GetProperty("accept_ra").GetBoolean().ShouldBeTrue();
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "update_interface");
    }

    [Fact]
    public async Task Update_of_a_bond_checks_and_changes_its_params()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        var bond = (await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bond", ("name", "bond0"), ("parents", eth0.ToString()))).ShouldBeJsonAsync()).GetProperty("id").GetInt64();

        (await (await admin.Client.PutAsync(InterfaceSetup.Path(systemId, bond), ("bond_mode", "nope"))).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("bond_mode");
        var updated = await (await admin.Client.PutAsync(InterfaceSetup.Path(systemId, bond), ("bond_mode", "active-backup"), ("bond_miimon", "200"))).ShouldBeJsonAsync();
        updated.GetProperty("params").GetProperty("bond_mode").GetString().ShouldBe("active-backup");
        updated.GetProperty("params").GetProperty("bond_miimon").GetInt32().ShouldBe(200);
    }

    [Fact]
    public async Task Update_of_a_deployed_machine_is_allowed_but_other_changes_are_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        await _setup.Machines.SetStateAsync(systemId, NodeStatus.DEPLOYED, admin.Id);

        (await (await admin.Client.PutAsync(InterfaceSetup.Path(systemId, eth0), ("name", "ens3"))).ShouldBeJsonAsync()).GetProperty("name").GetString().ShouldBe("ens3");
        (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "add_tag", ("tag", "x"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_physical", ("mac_address", Machines.MachineSetup.NewMac()))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.Client.DeleteAsync(InterfaceSetup.Path(systemId, eth0))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(NodeStatus.COMMISSIONING)]
    [InlineData(NodeStatus.DEPLOYING)]
    public async Task Changes_in_a_busy_state_are_409(NodeStatus status)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        await _setup.Machines.SetStateAsync(systemId, status, admin.Id);
        (await admin.Client.PutAsync(InterfaceSetup.Path(systemId, eth0), ("name", "x0"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "disconnect")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Non_admins_may_read_but_not_change_a_machines_interfaces()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);

        (await user.Client.GetAsync(InterfaceSetup.Path(systemId))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await user.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_physical", ("mac_address", Machines.MachineSetup.NewMac()))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await user.Client.PutAsync(InterfaceSetup.Path(systemId, eth0), ("name", "x0"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await user.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "link_subnet", ("mode", "DHCP"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await user.Client.DeleteAsync(InterfaceSetup.Path(systemId, eth0))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_locked_machine_refuses_changes_with_403()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        await host.Database.InTransactionAsync(
            (c, tx) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE node SET locked = true WHERE system_id = @systemId", new { systemId }, tx), CancellationToken.None);
        (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "add_tag", ("tag", "x"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Tags_are_added_once_and_removed()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "add_tag", ("tag", "fast"))).ShouldBeJsonAsync();
        var twice = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "add_tag", ("tag", "fast"))).ShouldBeJsonAsync();
        twice.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["fast"]);
        var removed = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "remove_tag", ("tag", "fast"))).ShouldBeJsonAsync();
        removed.GetProperty("tags").GetArrayLength().ShouldBe(0);
        (await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "add_tag")).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("tag");
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "remove_tag");
    }

    [Fact]
    public async Task Delete_removes_the_interface_its_vlan_children_and_addresses()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin);
        var (_, untagged, tagged) = await _setup.FabricAsync();
        var (subnet, _) = await _setup.SubnetAsync(tagged);
        var eth1 = await InterfaceSetup.CreatePhysicalAsync(admin, systemId, ("vlan", untagged.ToString()));
        var vlan = (await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_vlan", ("parent", eth1.ToString()), ("vlan", tagged.ToString()))).ShouldBeJsonAsync()).GetProperty("id").GetInt64();
        await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, vlan), "link_subnet", ("mode", "STATIC"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();

        (await admin.Client.DeleteAsync(InterfaceSetup.Path(systemId, eth1))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await admin.Client.GetAsync(InterfaceSetup.Path(systemId, vlan))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _setup.Ipam.AddressesOfAsync(subnet)).ShouldBeEmpty();
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "delete_interface");
    }
}

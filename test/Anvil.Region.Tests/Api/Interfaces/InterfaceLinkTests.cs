using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Interfaces;

public sealed class InterfaceLinkTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly InterfaceSetup _setup = new(host);

    private static Task<HttpResponseMessage> LinkAsync(TestUser user, string systemId, long id, params (string, string)[] form) =>
        user.Client.PostOpAsync(InterfaceSetup.Path(systemId, id), "link_subnet", form);

    private async Task<(TestUser Admin, string SystemId, long Eth0, long Subnet, string Cidr, long Vlan)> LinkableAsync()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        var (_, untagged, _) = await _setup.FabricAsync();
        var (subnet, cidr) = await _setup.SubnetAsync(untagged);
        return (admin, systemId, eth0, subnet, cidr, untagged);
    }

    [Fact]
    public async Task Link_static_with_an_address_shows_the_link_and_the_machines_ip_addresses()
    {
        var (admin, systemId, eth0, subnet, cidr, vlan) = await LinkableAsync();
        var ip = InterfaceSetup.At(cidr, 5);

        var nic = await (await LinkAsync(admin, systemId, eth0, ("mode", "STATIC"), ("subnet", subnet.ToString()), ("ip_address", ip), ("default_gateway", "true"))).ShouldBeJsonAsync();

        var link = nic.GetProperty("links").EnumerateArray().Single();
        link.GetProperty("mode").GetString().ShouldBe("static");
        link.GetProperty("ip_address").GetString().ShouldBe(ip);
        link.GetProperty("subnet").GetProperty("id").GetInt64().ShouldBe(subnet);
        link.GetProperty("subnet").GetProperty("vlan").GetProperty("id").GetInt64().ShouldBe(vlan);
        nic.GetProperty("vlan").GetProperty("id").GetInt64().ShouldBe(vlan);
        var machine = await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();
        machine.GetProperty("ip_addresses").EnumerateArray().Select(a => a.GetString()).ShouldBe([ip]);
        machine.GetProperty("interface_set")[0].GetProperty("links")[0].GetProperty("id").GetInt64().ShouldBe(link.GetProperty("id").GetInt64());
        machine.GetProperty("boot_interface").GetProperty("id").GetInt64().ShouldBe(eth0);
        machine.GetProperty("default_gateways").GetProperty("ipv4").GetProperty("gateway_ip").GetString().ShouldBe(InterfaceSetup.At(cidr, 1));
        machine.GetProperty("default_gateways").GetProperty("ipv4").GetProperty("link_id").GetInt64().ShouldBe(link.GetProperty("id").GetInt64());
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "link_subnet");
    }

    [Fact]
    public async Task Link_static_without_an_address_takes_the_next_free_one()
    {
        var (admin, systemId, eth0, subnet, cidr, _) = await LinkableAsync();
        var nic = await (await LinkAsync(admin, systemId, eth0, ("mode", "static"), ("subnet", $"cidr:{cidr}"))).ShouldBeJsonAsync();
        nic.GetProperty("links")[0].GetProperty("ip_address").GetString().ShouldBe(InterfaceSetup.At(cidr, 2));
        (await _setup.Ipam.AddressesOfAsync(subnet)).ShouldBe([InterfaceSetup.At(cidr, 2)]);
    }

    [Fact]
    public async Task Link_static_refuses_an_address_outside_the_subnet_in_use_or_malformed()
    {
        var (admin, systemId, eth0, subnet, cidr, _) = await LinkableAsync();
        await _setup.Ipam.UseAsync(subnet, InterfaceSetup.At(cidr, 6));

        var outside = await (await LinkAsync(admin, systemId, eth0, ("mode", "STATIC"), ("subnet", subnet.ToString()), ("ip_address", "192.0.2.1"))).ShouldBeFieldErrorsAsync();
        outside.Keys.ShouldContain("ip_address");
        var used = await (await LinkAsync(admin, systemId, eth0, ("mode", "STATIC"), ("subnet", subnet.ToString()), ("ip_address", InterfaceSetup.At(cidr, 6)))).ShouldBeFieldErrorsAsync();
        used.Keys.ShouldContain("ip_address");
        var malformed = await (await LinkAsync(admin, systemId, eth0, ("mode", "STATIC"), ("subnet", subnet.ToString()), ("ip_address", "nope"))).ShouldBeFieldErrorsAsync();
        malformed.Keys.ShouldContain("ip_address");
        (await InterfaceSetup.ReadAsync(admin, systemId, eth0)).GetProperty("links").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Link_refuses_a_bad_mode_a_missing_subnet_and_an_unknown_subnet()
    {
        var (admin, systemId, eth0, _, _, _) = await LinkableAsync();
        (await (await LinkAsync(admin, systemId, eth0, ("mode", "MAGIC"))).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("mode");
        (await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"))).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("subnet");
        (await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"), ("subnet", "999999999"))).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("subnet");
    }

    [Fact]
    public async Task Link_auto_and_dhcp_have_no_address_until_deployment_and_link_up_needs_force_over_them()
    {
        var (admin, systemId, eth0, subnet, _, _) = await LinkableAsync();
        await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();
        var nic = await (await LinkAsync(admin, systemId, eth0, ("mode", "DHCP"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();
        var links = nic.GetProperty("links").EnumerateArray().ToList();
        links.Select(l => l.GetProperty("mode").GetString()).ShouldBe(["auto", "dhcp"]);
        links.Count(l => l.TryGetProperty("ip_address", out var _)).ShouldBe(0);

        (await (await LinkAsync(admin, systemId, eth0, ("mode", "LINK_UP"))).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("mode");
        var forced = await (await LinkAsync(admin, systemId, eth0, ("mode", "link_up"), ("force", "true"))).ShouldBeJsonAsync();
        forced.GetProperty("links").EnumerateArray().Single().GetProperty("mode").GetString().ShouldBe("link_up");
    }

    [Fact]
    public async Task Link_to_a_subnet_of_another_vlan_needs_force_and_then_moves_the_interface()
    {
        var (admin, systemId, eth0, subnet, _, _) = await LinkableAsync();
        await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();
        var (_, otherVlan, _) = await _setup.FabricAsync();
        var (other, _) = await _setup.SubnetAsync(otherVlan);

        (await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"), ("subnet", other.ToString()))).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("subnet");
        var moved = await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"), ("subnet", other.ToString()), ("force", "true"))).ShouldBeJsonAsync();
        moved.GetProperty("vlan").GetProperty("id").GetInt64().ShouldBe(otherVlan);
    }

    [Fact]
    public async Task Default_gateway_needs_a_subnet_with_a_gateway()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        var (_, untagged, _) = await _setup.FabricAsync();
        var (subnet, _) = await _setup.SubnetAsync(untagged, gateway: false);
        var errors = await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"), ("subnet", subnet.ToString()), ("default_gateway", "true"))).ShouldBeFieldErrorsAsync();
        errors.Keys.ShouldContain("default_gateway");
    }

    [Fact]
    public async Task Unlink_removes_the_link_and_frees_its_address()
    {
        var (admin, systemId, eth0, subnet, _, _) = await LinkableAsync();
        var nic = await (await LinkAsync(admin, systemId, eth0, ("mode", "STATIC"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();
        var linkId = nic.GetProperty("links")[0].GetProperty("id").GetInt64();

        (await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "unlink_subnet", ("id", "999999999"))).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("id");
        var after = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "unlink_subnet", ("id", linkId.ToString()))).ShouldBeJsonAsync();
        after.GetProperty("links").GetArrayLength().ShouldBe(0);
        (await _setup.Ipam.AddressesOfAsync(subnet)).ShouldBeEmpty();
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "unlink_subnet");
    }

    [Fact]
    public async Task Disconnect_removes_links_and_vlan()
    {
        var (admin, systemId, eth0, subnet, _, _) = await LinkableAsync();
        await (await LinkAsync(admin, systemId, eth0, ("mode", "STATIC"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();
        var nic = await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "disconnect")).ShouldBeJsonAsync();
        nic.GetProperty("links").GetArrayLength().ShouldBe(0);
        nic.GetProperty("vlan").ValueKind.ShouldBe(JsonValueKind.Null);
        (await _setup.Ipam.AddressesOfAsync(subnet)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Set_default_gateway_picks_the_given_link_or_refuses_one_without_a_gateway()
    {
        var (admin, systemId, eth0, subnet, cidr, _) = await LinkableAsync();
        var nic = await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();
        var linkId = nic.GetProperty("links")[0].GetProperty("id").GetInt64();

        (await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "set_default_gateway", ("link_id", "999999999"))).ShouldBeFieldErrorsAsync()).Keys.ShouldContain("link_id");
        await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, eth0), "set_default_gateway", ("link_id", linkId.ToString()))).ShouldBeJsonAsync();
        var gateways = (await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync()).GetProperty("default_gateways");
        gateways.GetProperty("ipv4").GetProperty("link_id").GetInt64().ShouldBe(linkId);
        gateways.GetProperty("ipv4").GetProperty("gateway_ip").GetString().ShouldBe(InterfaceSetup.At(cidr, 1));
        gateways.GetProperty("ipv6").GetProperty("link_id").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Deployment_gives_auto_links_addresses_that_show_in_links_and_ip_addresses()
    {
        var (admin, systemId, eth0, subnet, cidr, _) = await LinkableAsync();
        await (await LinkAsync(admin, systemId, eth0, ("mode", "AUTO"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();
        await _setup.Machines.SetStateAsync(systemId, NodeStatus.DEPLOYING, admin.Id);
        await host.Database.InTransactionAsync(
            async (c, tx) => await Anvil.Data.Ipam.IpAllocator.Shared.AssignAutoAddressesAsync(c, tx, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT id FROM node WHERE system_id = @systemId", new { systemId }, tx), CancellationToken.None),
            CancellationToken.None);
        var machine = await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();
        machine.GetProperty("ip_addresses").EnumerateArray().Single().GetString().ShouldBe(InterfaceSetup.At(cidr, 2));
        machine.GetProperty("interface_set")[0].GetProperty("links")[0].GetProperty("ip_address").GetString().ShouldBe(InterfaceSetup.At(cidr, 2));
    }
}

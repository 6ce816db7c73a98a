using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class VlansApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_adds_a_tagged_vlan_listed_on_its_fabric_and_readable_both_ways()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();

        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "42"), ("name", "storage net"), ("mtu", "9000"))).ShouldBeJsonAsync();
        var listed = await (await admin.Client.GetAsync($"fabrics/{fabric.Id()}/vlans/")).ShouldBeJsonAsync();
        var byVid = await (await admin.Client.GetAsync($"fabrics/{fabric.Id()}/vlans/42/")).ShouldBeJsonAsync();
        var byId = await (await admin.Client.GetAsync($"vlans/{vlan.Id()}/")).ShouldBeJsonAsync();

        vlan.GetProperty("vid").GetInt32().ShouldBe(42);
        vlan.Str("name").ShouldBe("storage net");
        vlan.GetProperty("mtu").GetInt32().ShouldBe(9000);
        vlan.Str("fabric").ShouldBe(fabric.Str("name"));
        vlan.Str("resource_uri").ShouldBe($"/MAAS/api/2.0/vlans/{vlan.Id()}/");
        listed.EnumerateArray().Select(v => v.GetProperty("vid").GetInt32()).ShouldBe([0, 42]);
        byVid.Id().ShouldBe(vlan.Id());
        byId.GetProperty("vid").GetInt32().ShouldBe(42);
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("NETWORKING", $"Created VLAN 42 on fabric '{fabric.Str("name")}'."));
    }

    [Fact]
    public async Task An_unnamed_tagged_vlan_is_named_by_its_vid()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();

        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "7"))).ShouldBeJsonAsync();

        vlan.Str("name").ShouldBe("7");
    }

    [Fact]
    public async Task Create_with_a_vid_the_fabric_already_has_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();

        var errors = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "0"))).ShouldBeFieldErrorsAsync();

        errors["__all__"].ShouldBe(["VLAN with this Fabric and Vid already exists."]);
    }

    [Theory]
    [InlineData("vid", "4095", "VID must be between 0 and 4094.")]
    [InlineData("mtu", "551", "MTU must be between 552 and 65535.")]
    [InlineData("name", "bad/name", "Enter a valid value.")]
    [InlineData("space", "no-such-space", "Select a valid choice. That choice is not one of the available choices.")]
    public async Task Create_with_an_invalid_value_is_a_field_error(string field, string value, string message)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        (string, string)[] form = field == "vid" ? [("vid", value)] : [("vid", "100"), (field, value)];

        var errors = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", form)).ShouldBeFieldErrorsAsync();

        errors[field].ShouldBe([message]);
    }

    [Fact]
    public async Task Create_without_a_vid_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();

        var errors = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("name", "x"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["vid"]);
    }

    [Fact]
    public async Task Vlan_changes_by_a_non_admin_are_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "5"))).ShouldBeJsonAsync();

        await (await user.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "6"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"vlans/{vlan.Id()}/", ("mtu", "9000"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"fabrics/{fabric.Id()}/vlans/5/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        (await (await user.Client.GetAsync($"vlans/{vlan.Id()}/")).ShouldBeJsonAsync()).GetProperty("mtu").GetInt32().ShouldBe(1500);
    }

    [Theory]
    [InlineData("fabrics/987654/vlans/")]
    [InlineData("fabrics/0/vlans/4000/")]
    [InlineData("vlans/987654/")]
    [InlineData("vlans/abc/")]
    public async Task Unknown_fabrics_and_vlans_are_not_found(string path)
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetAsync(path)).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_sets_and_clears_the_space()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        var space = await (await admin.Client.PostAsync("spaces/", ("name", RegionTestHost.Unique("netspace")))).ShouldBeJsonAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "10"))).ShouldBeJsonAsync();

        var inSpace = await (await admin.Client.PutAsync($"vlans/{vlan.Id()}/", ("space", space.Str("name")))).ShouldBeJsonAsync();
        var cleared = await (await admin.Client.PutAsync($"fabrics/{fabric.Id()}/vlans/10/", ("space", "undefined"))).ShouldBeJsonAsync();

        inSpace.Str("space").ShouldBe(space.Str("name"));
        cleared.Str("space").ShouldBe("undefined");
    }

    [Fact]
    public async Task Turning_dhcp_on_without_a_primary_rack_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var vlan = await NewVlanWithDynamicRangeAsync(admin);

        var errors = await (await admin.Client.PutAsync($"vlans/{vlan}/", ("dhcp_on", "true"))).ShouldBeFieldErrorsAsync();

        errors["__all__"].ShouldBe(["dhcp can only be turned on when a primary rack controller is set."]);
    }

    [Fact]
    public async Task Turning_dhcp_on_without_a_dynamic_range_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "20"))).ShouldBeJsonAsync();

        var errors = await (await admin.Client.PutAsync($"vlans/{vlan.Id()}/", ("dhcp_on", "true"), ("primary_rack", rack.SystemId))).ShouldBeFieldErrorsAsync();

        errors["dhcp_on"].ShouldBe(["dhcp can only be turned on when a dynamic IP range is defined."]);
    }

    [Fact]
    public async Task Turning_dhcp_on_with_a_rack_and_a_dynamic_range_clears_the_relay()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await host.CreateNodeAsync(nodeType: 4);
        var vlan = await NewVlanWithDynamicRangeAsync(admin);
        var other = (await admin.CreateFabricAsync()).GetProperty("vlans")[0].Id();
        var relayed = await (await admin.Client.PutAsync($"vlans/{vlan}/", ("relay_vlan", $"{other}"))).ShouldBeJsonAsync();

        var on = await (await admin.Client.PutAsync($"vlans/{vlan}/", ("dhcp_on", "true"), ("primary_rack", rack.SystemId))).ShouldBeJsonAsync();

        relayed.GetProperty("relay_vlan").Id().ShouldBe(other);
        on.GetProperty("dhcp_on").GetBoolean().ShouldBeTrue();
        on.Str("primary_rack").ShouldBe(rack.SystemId);
        on.GetProperty("relay_vlan").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_primary_rack_that_is_not_a_rack_controller_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var machine = await host.CreateNodeAsync(nodeType: 0);
        var fabric = await admin.CreateFabricAsync();
        var vlan = fabric.GetProperty("vlans")[0].Id();

        var errors = await (await admin.Client.PutAsync($"vlans/{vlan}/", ("primary_rack", machine.SystemId))).ShouldBeFieldErrorsAsync();

        errors["primary_rack"].ShouldBe(["Select a valid choice. That choice is not one of the available choices."]);
    }

    [Fact]
    public async Task Clearing_the_primary_rack_promotes_the_secondary()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var first = await host.CreateNodeAsync(nodeType: 2);
        var second = await host.CreateNodeAsync(nodeType: 2);
        var vlan = (await admin.CreateFabricAsync()).GetProperty("vlans")[0].Id();
        await (await admin.Client.PutAsync($"vlans/{vlan}/", ("primary_rack", first.SystemId), ("secondary_rack", second.SystemId))).ShouldBeJsonAsync();

        var promoted = await (await admin.Client.PutAsync($"vlans/{vlan}/", ("primary_rack", ""))).ShouldBeJsonAsync();

        promoted.Str("primary_rack").ShouldBe(second.SystemId);
        promoted.GetProperty("secondary_rack").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task The_same_rack_cannot_be_primary_and_secondary()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var vlan = (await admin.CreateFabricAsync()).GetProperty("vlans")[0].Id();

        var errors = await (await admin.Client.PutAsync($"vlans/{vlan}/", ("primary_rack", rack.SystemId), ("secondary_rack", rack.SystemId))).ShouldBeFieldErrorsAsync();

        errors["__all__"].ShouldBe(["The primary and secondary rack must be different"]);
    }

    [Fact]
    public async Task A_vlan_cannot_relay_to_itself()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var vlan = (await admin.CreateFabricAsync()).GetProperty("vlans")[0].Id();

        var errors = await (await admin.Client.PutAsync($"vlans/{vlan}/", ("relay_vlan", $"{vlan}"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["relay_vlan"]);
    }

    [Fact]
    public async Task Delete_removes_a_tagged_vlan_and_moves_its_interfaces_to_the_default_vlan()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        var untagged = fabric.GetProperty("vlans")[0].Id();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "30"))).ShouldBeJsonAsync();
        var node = await host.CreateNodeAsync();
        await host.Database.InTransactionAsync(
            (c, tx) => Dapper.SqlMapper.ExecuteAsync(c, "INSERT INTO interface (node_id, name, vlan_id) VALUES (@node, 'eth1', @vlan)", new { node = node.Id, vlan = vlan.Id() }, tx),
            CancellationToken.None);

        await (await admin.Client.DeleteAsync($"fabrics/{fabric.Id()}/vlans/30/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        await (await admin.Client.GetAsync($"vlans/{vlan.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        (await host.CountAsync("SELECT count(*) FROM interface WHERE node_id = @id AND vlan_id = @untagged", new { id = node.Id, untagged })).ShouldBe(1);
    }

    [Fact]
    public async Task Delete_of_a_fabrics_default_vlan_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();

        var text = await (await admin.Client.DeleteAsync($"fabrics/{fabric.Id()}/vlans/0/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        text.ShouldBe("This VLAN is the default VLAN in the fabric, it cannot be deleted.");
    }

    [Fact]
    public async Task Delete_of_a_vlan_with_subnets_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "40"))).ShouldBeJsonAsync();
        var net = TestNet.Next();
        await admin.CreateSubnetAsync(net, ("vlan", $"{vlan.Id()}"));

        var text = await (await admin.Client.DeleteAsync($"vlans/{vlan.Id()}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        text.ShouldBe($"Can't delete VLAN; the following subnets are still present: {net.Cidr}");
        await (await admin.Client.GetAsync($"vlans/{vlan.Id()}/")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Describe_lists_the_vlan_handler_by_fabric_and_vid_but_not_the_hidden_id_form()
    {
        var describe = await (await host.AnonymousClient().GetAsync("describe/")).ShouldBeJsonAsync();

        var names = describe.GetProperty("resources").EnumerateArray().Select(r => r.Str("name")).ToList();
        names.ShouldContain("VlanHandler");
        names.ShouldContain("VlansHandler");
        names.ShouldNotContain("VlanIdHandler");
        var vlanHandler = describe.GetProperty("resources").EnumerateArray().Single(r => r.Str("name") == "VlanHandler").GetProperty("auth");
        vlanHandler.Str("path").ShouldBe("/MAAS/api/2.0/fabrics/{fabric_id}/vlans/{vid}/");
    }

    /// <summary>A tagged VLAN on a new fabric with a subnet that has a dynamic range; returns the VLAN id.</summary>
    private async Task<long> NewVlanWithDynamicRangeAsync(TestUser admin)
    {
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "50"))).ShouldBeJsonAsync();
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net, ("vlan", $"{vlan.Id()}"));
        await admin.CreateRangeAsync(subnet.Id(), "dynamic", net.At(100), net.At(199));
        return vlan.Id();
    }
}

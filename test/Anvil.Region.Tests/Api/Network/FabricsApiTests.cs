using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class FabricsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task List_contains_fabric_0_with_its_untagged_vlan()
    {
        var user = await host.CreateUserAsync();

        var fabrics = await (await user.Client.GetAsync("fabrics/")).ShouldBeJsonAsync();

        var fabric = fabrics.EnumerateArray().Single(f => f.Id() == 0);
        fabric.Str("name").ShouldBe("fabric-0");
        fabric.GetProperty("class_type").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        fabric.Str("resource_uri").ShouldBe("/MAAS/api/2.0/fabrics/0/");
        var vlan = fabric.GetProperty("vlans").EnumerateArray().Single();
        vlan.Id().ShouldBe(5001);
        vlan.GetProperty("vid").GetInt32().ShouldBe(0);
        vlan.Str("name").ShouldBe("untagged");
        vlan.Str("fabric").ShouldBe("fabric-0");
        vlan.GetProperty("fabric_id").GetInt64().ShouldBe(0);
        vlan.GetProperty("mtu").GetInt32().ShouldBe(1500);
        vlan.GetProperty("dhcp_on").GetBoolean().ShouldBeFalse();
        vlan.GetProperty("external_dhcp").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        vlan.GetProperty("relay_vlan").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        vlan.GetProperty("primary_rack").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        vlan.GetProperty("secondary_rack").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        vlan.Str("space").ShouldBe("undefined");
        vlan.Str("resource_uri").ShouldBe("/MAAS/api/2.0/vlans/5001/");
    }

    [Fact]
    public async Task Create_without_a_name_names_it_after_its_id_and_adds_an_untagged_vlan()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var fabric = await admin.CreateFabricAsync(("class_type", "10g"));

        fabric.Str("name").ShouldBe($"fabric-{fabric.Id()}");
        fabric.Str("class_type").ShouldBe("10g");
        var vlan = fabric.GetProperty("vlans").EnumerateArray().Single();
        vlan.GetProperty("vid").GetInt32().ShouldBe(0);
        vlan.Str("name").ShouldBe("untagged");
        vlan.GetProperty("fabric_id").GetInt64().ShouldBe(fabric.Id());
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("NETWORKING", $"Created fabric 'fabric-{fabric.Id()}'."));
    }

    [Fact]
    public async Task Create_with_a_name_keeps_it_and_read_finds_it_by_id_and_by_name()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("fab");
        var created = await admin.CreateFabricAsync(("name", name));

        var byId = await (await admin.Client.GetAsync($"fabrics/{created.Id()}/")).ShouldBeJsonAsync();
        var byName = await (await admin.Client.GetAsync($"fabrics/{name}/")).ShouldBeJsonAsync();

        byId.Str("name").ShouldBe(name);
        byName.Id().ShouldBe(created.Id());
    }

    [Theory]
    [InlineData("fabric-999", "Reserved fabric name.")]
    [InlineData("bad name", "Invalid fabric name: bad name.")]
    public async Task Create_with_a_reserved_or_invalid_name_is_a_name_error(string name, string message)
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("fabrics/", ("name", name))).ShouldBeFieldErrorsAsync();

        errors["name"].ShouldBe([message]);
    }

    [Fact]
    public async Task Create_with_a_taken_name_is_a_name_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("fab");
        await admin.CreateFabricAsync(("name", name));

        var errors = await (await admin.Client.PostAsync("fabrics/", ("name", name))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["name"]);
    }

    [Fact]
    public async Task Create_update_and_delete_by_a_non_admin_are_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var fabric = await admin.CreateFabricAsync();

        await (await user.Client.PostAsync("fabrics/", ("name", RegionTestHost.Unique("fab")))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"fabrics/{fabric.Id()}/", ("class_type", "x"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"fabrics/{fabric.Id()}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);

        await (await user.Client.GetAsync($"fabrics/{fabric.Id()}/")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Read_of_an_unknown_fabric_is_not_found()
    {
        var user = await host.CreateUserAsync();

        var text = await (await user.Client.GetAsync("fabrics/987654/")).ShouldBeTextAsync(HttpStatusCode.NotFound);

        text.ShouldBe("No Fabric matches the given query.");
    }

    [Fact]
    public async Task Update_renames_and_changes_class_type_and_an_empty_name_restores_the_default()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        var name = RegionTestHost.Unique("fab");

        var renamed = await (await admin.Client.PutAsync($"fabrics/{fabric.Id()}/", ("name", name), ("class_type", "40g"))).ShouldBeJsonAsync();
        var restored = await (await admin.Client.PutAsync($"fabrics/{fabric.Id()}/", ("name", ""))).ShouldBeJsonAsync();

        renamed.Str("name").ShouldBe(name);
        renamed.Str("class_type").ShouldBe("40g");
        restored.Str("name").ShouldBe($"fabric-{fabric.Id()}");
        restored.Str("class_type").ShouldBe("40g");
    }

    [Fact]
    public async Task Delete_removes_the_fabric_and_its_vlans()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "42"))).ShouldBeJsonAsync();

        await (await admin.Client.DeleteAsync($"fabrics/{fabric.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        await (await admin.Client.GetAsync($"fabrics/{fabric.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        (await host.CountAsync("SELECT count(*) FROM vlan WHERE fabric_id = @id", new { id = fabric.Id() })).ShouldBe(0);
    }

    [Fact]
    public async Task Delete_of_the_default_fabric_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var text = await (await admin.Client.DeleteAsync("fabrics/0/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        text.ShouldBe("This fabric is the default fabric, it cannot be deleted.");
    }

    [Fact]
    public async Task Delete_of_a_fabric_with_subnets_is_refused_and_names_them()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        var net = TestNet.Next();
        await admin.CreateSubnetAsync(net, ("fabric", $"{fabric.Id()}"));

        var text = await (await admin.Client.DeleteAsync($"fabrics/{fabric.Id()}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        text.ShouldBe($"Can't delete fabric; the following subnets are still present: {net.Cidr}");
        await (await admin.Client.GetAsync($"fabrics/{fabric.Id()}/")).ShouldBeJsonAsync();
    }
}

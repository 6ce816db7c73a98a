using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class SpacesApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Listing_includes_the_undefined_pseudo_space_while_a_vlan_has_no_space()
    {
        var user = await host.CreateUserAsync();

        var spaces = await (await user.Client.GetAsync("spaces/")).ShouldBeJsonAsync();

        var undefined = spaces.EnumerateArray().Single(s => s.Id() == -1);
        undefined.Str("name").ShouldBe("undefined");
        undefined.Str("resource_uri").ShouldBe("/MAAS/api/2.0/spaces/-1/");
        undefined.GetProperty("vlans").EnumerateArray().Select(v => v.Id()).ShouldContain(5001);
    }

    [Fact]
    public async Task Create_returns_the_space_and_read_finds_it_by_id_and_name()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("netspace");

        var space = await (await admin.Client.PostAsync("spaces/", ("name", name), ("description", "DMZ"))).ShouldBeJsonAsync();
        var byId = await (await admin.Client.GetAsync($"spaces/{space.Id()}/")).ShouldBeJsonAsync();
        var byName = await (await admin.Client.GetAsync($"spaces/{name}/")).ShouldBeJsonAsync();

        space.Str("name").ShouldBe(name);
        space.Str("description").ShouldBe("DMZ");
        space.Str("resource_uri").ShouldBe($"/MAAS/api/2.0/spaces/{space.Id()}/");
        space.GetProperty("vlans").GetArrayLength().ShouldBe(0);
        space.GetProperty("subnets").GetArrayLength().ShouldBe(0);
        byId.Str("name").ShouldBe(name);
        byName.Id().ShouldBe(space.Id());
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("NETWORKING", $"Created space '{name}'."));
    }

    [Fact]
    public async Task A_space_lists_its_vlans_and_their_subnets_and_subnets_show_the_space()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("netspace");
        var space = await (await admin.Client.PostAsync("spaces/", ("name", name))).ShouldBeJsonAsync();
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "12"), ("space", $"{space.Id()}"))).ShouldBeJsonAsync();
        var subnet = await admin.CreateSubnetAsync(TestNet.Next(), ("vlan", $"{vlan.Id()}"));

        var read = await (await admin.Client.GetAsync($"spaces/{space.Id()}/")).ShouldBeJsonAsync();
        var readSubnet = await (await admin.Client.GetAsync($"subnets/{subnet.Id()}/")).ShouldBeJsonAsync();

        read.GetProperty("vlans").EnumerateArray().Select(v => v.Id()).ShouldBe([vlan.Id()]);
        read.GetProperty("subnets").EnumerateArray().Select(s => s.Id()).ShouldBe([subnet.Id()]);
        readSubnet.Str("space").ShouldBe(name);
        readSubnet.GetProperty("vlan").Str("space").ShouldBe(name);
    }

    [Theory]
    [InlineData("undefined")]
    [InlineData("-1")]
    public async Task The_undefined_space_can_be_read_by_name_or_id_but_not_changed(string key)
    {
        var admin = await host.CreateUserAsync(admin: true);

        var read = await (await admin.Client.GetAsync($"spaces/{key}/")).ShouldBeJsonAsync();
        await (await admin.Client.PutAsync($"spaces/{key}/", ("name", "x"))).ShouldBeTextAsync(HttpStatusCode.BadRequest);
        await (await admin.Client.DeleteAsync($"spaces/{key}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        read.Id().ShouldBe(-1);
        read.Str("name").ShouldBe("undefined");
    }

    [Theory]
    [InlineData("undefined", "Reserved space name.")]
    [InlineData("space-77", "Reserved space name.")]
    [InlineData("-leading", "Enter a valid value.")]
    [InlineData("", "This field is required.")]
    public async Task Create_with_a_reserved_invalid_or_missing_name_is_a_name_error(string name, string message)
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("spaces/", ("name", name))).ShouldBeFieldErrorsAsync();

        errors["name"].ShouldBe([message]);
    }

    [Fact]
    public async Task Create_with_a_taken_name_is_a_name_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("netspace");
        await (await admin.Client.PostAsync("spaces/", ("name", name))).ShouldBeJsonAsync();

        var errors = await (await admin.Client.PostAsync("spaces/", ("name", name))).ShouldBeFieldErrorsAsync();

        errors["name"].ShouldBe(["Space with this Name already exists."]);
    }

    [Fact]
    public async Task Space_changes_by_a_non_admin_are_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var space = await (await admin.Client.PostAsync("spaces/", ("name", RegionTestHost.Unique("netspace")))).ShouldBeJsonAsync();

        await (await user.Client.PostAsync("spaces/", ("name", RegionTestHost.Unique("netspace")))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"spaces/{space.Id()}/", ("name", RegionTestHost.Unique("netspace")))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"spaces/{space.Id()}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Update_renames_the_space()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var space = await (await admin.Client.PostAsync("spaces/", ("name", RegionTestHost.Unique("netspace")))).ShouldBeJsonAsync();
        var name = RegionTestHost.Unique("netspace");

        var updated = await (await admin.Client.PutAsync($"spaces/{space.Id()}/", ("name", name), ("description", "new"))).ShouldBeJsonAsync();

        updated.Str("name").ShouldBe(name);
        updated.Str("description").ShouldBe("new");
    }

    [Fact]
    public async Task Delete_leaves_the_spaces_vlans_in_no_space()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var space = await (await admin.Client.PostAsync("spaces/", ("name", RegionTestHost.Unique("netspace")))).ShouldBeJsonAsync();
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "13"), ("space", space.Str("name")))).ShouldBeJsonAsync();

        await (await admin.Client.DeleteAsync($"spaces/{space.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        await (await admin.Client.GetAsync($"spaces/{space.Id()}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await (await admin.Client.GetAsync($"vlans/{vlan.Id()}/")).ShouldBeJsonAsync()).Str("space").ShouldBe("undefined");
    }
}

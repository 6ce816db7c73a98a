using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class TagsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private const string DellDefinition = "//node[@class=\"system\"]/vendor = \"Dell Inc.\"";

    [Fact]
    public async Task Create_of_a_manual_tag_returns_it_and_audits_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("tag");

        var tag = await (await admin.Client.PostAsync("tags/", ("name", name), ("comment", "hand-picked"), ("kernel_opts", "console=ttyS0"))).ShouldBeJsonAsync();

        tag.GetProperty("name").GetString().ShouldBe(name);
        tag.GetProperty("definition").GetString().ShouldBe("");
        tag.GetProperty("comment").GetString().ShouldBe("hand-picked");
        tag.GetProperty("kernel_opts").GetString().ShouldBe("console=ttyS0");
        tag.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/tags/{name}/");
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("TAGS", $"Created tag '{name}'."));
    }

    [Fact]
    public async Task Create_with_a_definition_tags_the_matching_nodes_at_once()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var dell = await host.CreateNodeAsync(lshw: Lshw("Dell Inc."));
        var hp = await host.CreateNodeAsync(lshw: Lshw("HP"));
        var name = RegionTestHost.Unique("tag");

        await (await admin.Client.PostAsync("tags/", ("name", name), ("definition", DellDefinition))).ShouldBeJsonAsync();

        var machines = await MachineIdsAsync(admin, name);
        machines.ShouldContain(dell.SystemId);
        machines.ShouldNotContain(hp.SystemId);
    }

    [Fact]
    public async Task Create_with_invalid_xpath_is_a_field_error_on_definition_and_creates_nothing()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("tag");

        var errors = await (await admin.Client.PostAsync("tags/", ("name", name), ("definition", "//node[@class="))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["definition"]);
        await (await admin.Client.GetAsync($"tags/{name}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_with_a_taken_or_invalid_name_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateTagAsync(admin);

        (await (await admin.Client.PostAsync("tags/", ("name", name))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["name"]);
        (await (await admin.Client.PostAsync("tags/", ("name", "no spaces"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["name"]);
    }

    [Fact]
    public async Task Writes_by_a_non_admin_are_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var name = await CreateTagAsync(admin);

        await (await user.Client.PostAsync("tags/", ("name", RegionTestHost.Unique("tag")))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"tags/{name}/", ("comment", "mine"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"tags/{name}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync($"tags/{name}/", "rebuild")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync($"tags/{name}/", "update_nodes")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await (await user.Client.GetAsync($"tags/{name}/")).ShouldBeJsonAsync()).GetProperty("comment").GetString().ShouldBe("");
    }

    [Fact]
    public async Task List_and_read_show_tags_to_every_user()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var name = await CreateTagAsync(admin);

        var tags = await (await user.Client.GetAsync("tags/")).ShouldBeJsonAsync();

        tags.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldContain(name);
        (await (await user.Client.GetAsync($"tags/{name}/")).ShouldBeJsonAsync()).GetProperty("name").GetString().ShouldBe(name);
    }

    [Fact]
    public async Task Read_and_ops_of_an_unknown_tag_are_not_found()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.GetAsync("tags/no-such-tag/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.GetOpAsync("tags/no-such-tag/", "machines")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PostOpAsync("tags/no-such-tag/", "update_nodes")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_with_a_new_definition_re_evaluates_the_tag()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var dell = await host.CreateNodeAsync(lshw: Lshw("Dell Inc."));
        var hp = await host.CreateNodeAsync(lshw: Lshw("HP"));
        var name = RegionTestHost.Unique("tag");
        await (await admin.Client.PostAsync("tags/", ("name", name), ("definition", DellDefinition))).ShouldBeJsonAsync();

        var tag = await (await admin.Client.PutAsync($"tags/{name}/", ("definition", "//node[@class=\"system\"]/vendor = \"HP\""))).ShouldBeJsonAsync();

        tag.GetProperty("definition").GetString().ShouldBe("//node[@class=\"system\"]/vendor = \"HP\"");
        var machines = await MachineIdsAsync(admin, name);
        machines.ShouldContain(hp.SystemId);
        machines.ShouldNotContain(dell.SystemId);
    }

    [Fact]
    public async Task Update_renames_and_refuses_a_taken_name()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateTagAsync(admin);
        var taken = await CreateTagAsync(admin);
        var renamed = RegionTestHost.Unique("tag");

        (await (await admin.Client.PutAsync($"tags/{name}/", ("name", taken))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["name"]);
        (await (await admin.Client.PutAsync($"tags/{name}/", ("name", renamed))).ShouldBeJsonAsync()).GetProperty("name").GetString().ShouldBe(renamed);

        await (await admin.Client.GetAsync($"tags/{name}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_removes_the_tag()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateTagAsync(admin);

        (await admin.Client.DeleteAsync($"tags/{name}/")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await admin.Client.GetAsync($"tags/{name}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("TAGS", $"Deleted tag '{name}'."));
    }

    [Fact]
    public async Task Update_nodes_adds_and_removes_and_counts_actual_changes()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var a = await host.CreateNodeAsync();
        var b = await host.CreateNodeAsync();
        var name = await CreateTagAsync(admin);

        var first = await (await admin.Client.PostOpAsync($"tags/{name}/", "update_nodes", ("add", a.SystemId), ("add", b.SystemId), ("add", "unknown"))).ShouldBeJsonAsync();
        var second = await (await admin.Client.PostOpAsync($"tags/{name}/", "update_nodes", ("add", a.SystemId), ("remove", b.SystemId))).ShouldBeJsonAsync();

        first.GetProperty("added").GetInt32().ShouldBe(2);
        first.GetProperty("removed").GetInt32().ShouldBe(0);
        second.GetProperty("added").GetInt32().ShouldBe(0);
        second.GetProperty("removed").GetInt32().ShouldBe(1);
        (await MachineIdsAsync(admin, name)).ShouldBe([a.SystemId]);
    }

    [Fact]
    public async Task Update_nodes_with_a_stale_definition_is_a_conflict_and_changes_nothing()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var node = await host.CreateNodeAsync();
        var name = RegionTestHost.Unique("tag");
        await (await admin.Client.PostAsync("tags/", ("name", name), ("definition", DellDefinition))).ShouldBeJsonAsync();

        await (await admin.Client.PostOpAsync($"tags/{name}/", "update_nodes", ("add", node.SystemId), ("definition", "//old"))).ShouldBeTextAsync(HttpStatusCode.Conflict);

        (await MachineIdsAsync(admin, name)).ShouldNotContain(node.SystemId);
    }

    [Fact]
    public async Task Update_nodes_with_the_current_definition_is_accepted()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var node = await host.CreateNodeAsync();
        var name = RegionTestHost.Unique("tag");
        await (await admin.Client.PostAsync("tags/", ("name", name), ("definition", DellDefinition))).ShouldBeJsonAsync();

        var result = await (await admin.Client.PostOpAsync($"tags/{name}/", "update_nodes", ("add", node.SystemId), ("definition", DellDefinition))).ShouldBeJsonAsync();

        result.GetProperty("added").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Rebuild_answers_the_tag_name_and_re_evaluates_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("tag");
        await (await admin.Client.PostAsync("tags/", ("name", name), ("definition", DellDefinition))).ShouldBeJsonAsync();
        var late = await host.CreateNodeAsync(lshw: Lshw("Dell Inc."));

        var result = await (await admin.Client.PostOpAsync($"tags/{name}/", "rebuild")).ShouldBeJsonAsync();

        result.GetProperty("rebuilding").GetString().ShouldBe(name);
        (await MachineIdsAsync(admin, name)).ShouldContain(late.SystemId);
    }

    [Fact]
    public async Task Rebuild_of_a_manual_tag_keeps_its_nodes()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var node = await host.CreateNodeAsync();
        var name = await CreateTagAsync(admin);
        await (await admin.Client.PostOpAsync($"tags/{name}/", "update_nodes", ("add", node.SystemId))).ShouldBeJsonAsync();

        await (await admin.Client.PostOpAsync($"tags/{name}/", "rebuild")).ShouldBeJsonAsync();

        (await MachineIdsAsync(admin, name)).ShouldBe([node.SystemId]);
    }

    [Fact]
    public async Task Node_listings_split_nodes_by_type()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var machine = await host.CreateNodeAsync();
        var device = await host.CreateNodeAsync(nodeType: 1);
        var regionRack = await host.CreateNodeAsync(nodeType: 4);
        var name = await CreateTagAsync(admin);
        await (await admin.Client.PostOpAsync($"tags/{name}/", "update_nodes", ("add", machine.SystemId), ("add", device.SystemId), ("add", regionRack.SystemId))).ShouldBeJsonAsync();

        var machines = await (await admin.Client.GetOpAsync($"tags/{name}/", "machines")).ShouldBeJsonAsync();
        var rendered = machines.EnumerateArray().ShouldHaveSingleItem();
        rendered.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/machines/{machine.SystemId}/");
        rendered.GetProperty("zone").GetProperty("name").GetString().ShouldBe("default");
        (await IdsAsync(admin, name, "nodes")).ShouldBe([machine.SystemId, device.SystemId, regionRack.SystemId]);
        (await IdsAsync(admin, name, "machines")).ShouldBe([machine.SystemId]);
        (await IdsAsync(admin, name, "devices")).ShouldBe([device.SystemId]);
        (await IdsAsync(admin, name, "rack_controllers")).ShouldBe([regionRack.SystemId]);
        (await IdsAsync(admin, name, "region_controllers")).ShouldBe([regionRack.SystemId]);
    }

    private static async Task<string> CreateTagAsync(TestUser admin)
    {
        var name = RegionTestHost.Unique("tag");
        await (await admin.Client.PostAsync("tags/", ("name", name))).ShouldBeJsonAsync();
        return name;
    }

    private static Task<List<string>> MachineIdsAsync(TestUser user, string tag) => IdsAsync(user, tag, "machines");

    private static async Task<List<string>> IdsAsync(TestUser user, string tag, string op)
    {
        var nodes = await (await user.Client.GetOpAsync($"tags/{tag}/", op)).ShouldBeJsonAsync();
        return nodes.EnumerateArray().Select(n => n.GetProperty("system_id").GetString()!).ToList();
    }

    private static string Lshw(string vendor) =>
        $"""<?xml version="1.0"?><list><node id="host" class="system"><vendor>{vendor}</vendor></node></list>""";
}

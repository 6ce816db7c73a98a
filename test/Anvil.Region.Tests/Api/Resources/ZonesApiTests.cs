using System.Net;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class ZonesApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task List_always_contains_the_default_zone()
    {
        var user = await host.CreateUserAsync();

        var zones = await (await user.Client.GetAsync("zones/")).ShouldBeJsonAsync();

        var zone = zones.EnumerateArray().Single(z => z.GetProperty("name").GetString() == "default");
        zone.GetProperty("id").GetInt64().ShouldBe(1);
        zone.GetProperty("resource_uri").GetString().ShouldBe("/MAAS/api/2.0/zones/default/");
    }

    [Fact]
    public async Task Create_as_admin_returns_the_zone_and_records_an_audit_event()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("zone");

        var zone = await (await admin.Client.PostAsync("zones/", ("name", name), ("description", "Rack row 3"))).ShouldBeJsonAsync();

        zone.GetProperty("name").GetString().ShouldBe(name);
        zone.GetProperty("description").GetString().ShouldBe("Rack row 3");
        zone.GetProperty("id").GetInt64().ShouldBeGreaterThan(1);
        zone.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/zones/{name}/");
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("ZONES", $"Created zone '{name}'."));
    }

    [Fact]
    public async Task Create_by_a_non_admin_is_forbidden_and_creates_nothing()
    {
        var user = await host.CreateUserAsync();
        var name = RegionTestHost.Unique("zone");

        await (await user.Client.PostAsync("zones/", ("name", name))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        await (await user.Client.GetAsync($"zones/{name}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_with_a_taken_name_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("zone");
        await (await admin.Client.PostAsync("zones/", ("name", name))).ShouldBeJsonAsync();

        var errors = await (await admin.Client.PostAsync("zones/", ("name", name))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["name"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/zone")]
    public async Task Create_with_a_missing_or_invalid_name_is_a_field_error(string name)
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("zones/", ("name", name))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["name"]);
    }

    [Fact]
    public async Task Read_of_an_unknown_zone_is_not_found()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetAsync("zones/no-such-zone/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_renames_the_zone_so_it_is_found_under_its_new_name_only()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("zone");
        var renamed = RegionTestHost.Unique("zone");
        await (await admin.Client.PostAsync("zones/", ("name", name), ("description", "old"))).ShouldBeJsonAsync();

        var zone = await (await admin.Client.PutAsync($"zones/{name}/", ("name", renamed))).ShouldBeJsonAsync();

        zone.GetProperty("name").GetString().ShouldBe(renamed);
        zone.GetProperty("description").GetString().ShouldBe("old");
        await (await admin.Client.GetAsync($"zones/{name}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        (await (await admin.Client.GetAsync($"zones/{renamed}/")).ShouldBeJsonAsync()).GetProperty("name").GetString().ShouldBe(renamed);
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("ZONES", $"Updated zone '{renamed}'."));
    }

    [Fact]
    public async Task Update_cannot_rename_the_default_zone()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PutAsync("zones/default/", ("name", RegionTestHost.Unique("zone")))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["name"]);
    }

    [Fact]
    public async Task Update_and_delete_by_a_non_admin_are_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var name = RegionTestHost.Unique("zone");
        await (await admin.Client.PostAsync("zones/", ("name", name))).ShouldBeJsonAsync();

        await (await user.Client.PutAsync($"zones/{name}/", ("description", "mine"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"zones/{name}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await (await user.Client.GetAsync($"zones/{name}/")).ShouldBeJsonAsync()).GetProperty("description").GetString().ShouldBe("");
    }

    [Fact]
    public async Task Update_of_an_unknown_zone_is_not_found()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.PutAsync("zones/no-such-zone/", ("description", "x"))).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_moves_the_zones_nodes_to_the_default_zone()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("zone");
        await (await admin.Client.PostAsync("zones/", ("name", name))).ShouldBeJsonAsync();
        var node = await host.CreateNodeAsync(zone: name);

        var response = await admin.Client.DeleteAsync($"zones/{name}/");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await admin.Client.GetAsync($"zones/{name}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        var zoneOfNode = await host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<string>("SELECT z.name FROM node n JOIN zone z ON z.id = n.zone_id WHERE n.id = @Id", new { node.Id }),
            CancellationToken.None);
        zoneOfNode.ShouldBe("default");
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("ZONES", $"Deleted zone '{name}'."));
    }

    [Fact]
    public async Task Delete_of_the_default_zone_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.DeleteAsync("zones/default/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        await (await admin.Client.GetAsync("zones/default/")).ShouldBeJsonAsync();
    }
}

using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class ResourcePoolsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task List_contains_the_default_pool_with_id_zero_at_its_singular_uri()
    {
        var user = await host.CreateUserAsync();

        var pools = await (await user.Client.GetAsync("resourcepools/")).ShouldBeJsonAsync();

        var pool = pools.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "default");
        pool.GetProperty("id").GetInt64().ShouldBe(0);
        pool.GetProperty("resource_uri").GetString().ShouldBe("/MAAS/api/2.0/resourcepool/0/");
        (await (await user.Client.GetAsync("resourcepool/0/")).ShouldBeJsonAsync()).GetProperty("name").GetString().ShouldBe("default");
    }

    [Fact]
    public async Task Create_as_admin_returns_the_pool_readable_by_id_and_audits_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("pool");

        var pool = await (await admin.Client.PostAsync("resourcepools/", ("name", name), ("description", "GPU nodes"))).ShouldBeJsonAsync();

        var id = pool.GetProperty("id").GetInt64();
        pool.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/resourcepool/{id}/");
        var read = await (await admin.Client.GetAsync($"resourcepool/{id}/")).ShouldBeJsonAsync();
        read.GetProperty("name").GetString().ShouldBe(name);
        read.GetProperty("description").GetString().ShouldBe("GPU nodes");
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("ZONES", $"Created resource pool '{name}'."));
    }

    [Fact]
    public async Task Create_by_a_non_admin_is_forbidden()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.PostAsync("resourcepools/", ("name", RegionTestHost.Unique("pool")))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Create_with_a_taken_name_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("resourcepools/", ("name", "default"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["name"]);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("not-a-number")]
    public async Task Read_of_an_unknown_or_malformed_id_is_not_found(string id)
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetAsync($"resourcepool/{id}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_changes_name_and_description()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var id = await CreatePoolAsync(admin);
        var renamed = RegionTestHost.Unique("pool");

        var pool = await (await admin.Client.PutAsync($"resourcepool/{id}/", ("name", renamed), ("description", "new"))).ShouldBeJsonAsync();

        pool.GetProperty("name").GetString().ShouldBe(renamed);
        pool.GetProperty("description").GetString().ShouldBe("new");
    }

    [Fact]
    public async Task Update_and_delete_by_a_non_admin_are_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var id = await CreatePoolAsync(admin);

        await (await user.Client.PutAsync($"resourcepool/{id}/", ("description", "x"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"resourcepool/{id}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        await (await user.Client.GetAsync($"resourcepool/{id}/")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Delete_of_an_empty_pool_removes_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var id = await CreatePoolAsync(admin);

        (await admin.Client.DeleteAsync($"resourcepool/{id}/")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await admin.Client.GetAsync($"resourcepool/{id}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_of_a_pool_holding_machines_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var id = await CreatePoolAsync(admin);
        var name = (await (await admin.Client.GetAsync($"resourcepool/{id}/")).ShouldBeJsonAsync()).GetProperty("name").GetString();
        await host.CreateNodeAsync(pool: name);

        await (await admin.Client.DeleteAsync($"resourcepool/{id}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        await (await admin.Client.GetAsync($"resourcepool/{id}/")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Delete_of_the_default_pool_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.DeleteAsync("resourcepool/0/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<long> CreatePoolAsync(TestUser admin) =>
        (await (await admin.Client.PostAsync("resourcepools/", ("name", RegionTestHost.Unique("pool")))).ShouldBeJsonAsync()).GetProperty("id").GetInt64();
}

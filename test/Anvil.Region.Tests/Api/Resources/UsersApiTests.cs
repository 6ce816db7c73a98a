using System.Net;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class UsersApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task List_shows_every_user_with_maas_fields()
    {
        var user = await host.CreateUserAsync();
        var other = await host.CreateUserAsync(admin: true);

        var users = await (await user.Client.GetAsync("users/")).ShouldBeJsonAsync();

        var listed = users.EnumerateArray().Single(u => u.GetProperty("username").GetString() == other.Username);
        listed.GetProperty("email").GetString().ShouldBe($"{other.Username}@example.com");
        listed.GetProperty("is_superuser").GetBoolean().ShouldBeTrue();
        listed.GetProperty("is_local").GetBoolean().ShouldBeTrue();
        listed.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/users/{other.Username}/");
    }

    [Fact]
    public async Task Whoami_describes_the_caller()
    {
        var user = await host.CreateUserAsync();

        var me = await (await user.Client.GetOpAsync("users/", "whoami")).ShouldBeJsonAsync();

        me.GetProperty("username").GetString().ShouldBe(user.Username);
        me.GetProperty("is_superuser").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Create_as_admin_makes_a_user_and_audits_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("new");

        var created = await (await admin.Client.PostAsync(
            "users/", ("username", name), ("email", $"{name}@example.org"), ("password", "pw"), ("is_superuser", "1"))).ShouldBeJsonAsync();

        created.GetProperty("username").GetString().ShouldBe(name);
        created.GetProperty("is_superuser").GetBoolean().ShouldBeTrue();
        (await (await admin.Client.GetAsync($"users/{name}/")).ShouldBeJsonAsync()).GetProperty("email").GetString().ShouldBe($"{name}@example.org");
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("AUTHORISATION", $"Created admin '{name}'."));
    }

    [Fact]
    public async Task Create_by_a_non_admin_is_forbidden()
    {
        var user = await host.CreateUserAsync();
        var name = RegionTestHost.Unique("new");

        await (await user.Client.PostAsync(
            "users/", ("username", name), ("email", $"{name}@example.org"), ("password", "pw"), ("is_superuser", "0"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        await (await user.Client.GetAsync($"users/{name}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_without_fields_lists_every_missing_field()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("users/")).ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["email", "is_superuser", "password", "username"]);
    }

    [Fact]
    public async Task Create_with_a_taken_username_or_email_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var existing = await host.CreateUserAsync();

        var byName = await (await admin.Client.PostAsync(
            "users/", ("username", existing.Username), ("email", "fresh@example.org"), ("password", "pw"), ("is_superuser", "0"))).ShouldBeFieldErrorsAsync();
        var byEmail = await (await admin.Client.PostAsync(
            "users/", ("username", RegionTestHost.Unique("new")), ("email", $"{existing.Username}@EXAMPLE.com"), ("password", "pw"), ("is_superuser", "0"))).ShouldBeFieldErrorsAsync();

        byName.Keys.ShouldBe(["username"]);
        byEmail.Keys.ShouldBe(["email"]);
    }

    [Fact]
    public async Task Create_with_an_invalid_username_and_email_reports_both()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync(
            "users/", ("username", "bad name!"), ("email", "not-an-address"), ("password", "pw"), ("is_superuser", "0"))).ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["email", "username"]);
    }

    [Fact]
    public async Task Read_of_an_unknown_user_is_not_found()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetAsync("users/nobody-here/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_removes_the_user_and_their_credentials()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var victim = await host.CreateUserAsync();

        (await admin.Client.DeleteAsync($"users/{victim.Username}/")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await admin.Client.GetAsync($"users/{victim.Username}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        await (await victim.Client.GetOpAsync("users/", "whoami")).ShouldBeStatusAsync(HttpStatusCode.Unauthorized);
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("AUTHORISATION", $"Deleted user '{victim.Username}'."));
    }

    [Fact]
    public async Task Delete_by_a_non_admin_is_forbidden()
    {
        var user = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();

        await (await user.Client.DeleteAsync($"users/{other.Username}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        await (await user.Client.GetAsync($"users/{other.Username}/")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Delete_of_a_user_owning_nodes_without_a_transfer_target_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var owner = await host.CreateUserAsync();
        await host.CreateNodeAsync(ownerId: owner.Id);

        await (await admin.Client.DeleteAsync($"users/{owner.Username}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        await (await admin.Client.GetAsync($"users/{owner.Username}/")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Delete_with_a_transfer_target_hands_the_nodes_over()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var owner = await host.CreateUserAsync();
        var heir = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync(ownerId: owner.Id);

        var response = await admin.Client.DeleteAsync($"users/{owner.Username}/", ("transfer_resources_to", heir.Username));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var newOwner = await host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<long?>("SELECT owner_id FROM node WHERE id = @Id", new { node.Id }), CancellationToken.None);
        newOwner.ShouldBe(heir.Id);
    }

    [Fact]
    public async Task Delete_with_an_unknown_transfer_target_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var owner = await host.CreateUserAsync();
        await host.CreateNodeAsync(ownerId: owner.Id);

        var errors = await (await admin.Client.DeleteAsync($"users/{owner.Username}/", ("transfer_resources_to", "nobody-here"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["transfer_resources_to"]);
    }

    [Fact]
    public async Task Delete_of_oneself_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.DeleteAsync($"users/{admin.Username}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        await (await admin.Client.GetOpAsync("users/", "whoami")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Delete_of_an_unknown_user_is_not_found()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.DeleteAsync("users/nobody-here/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }
}

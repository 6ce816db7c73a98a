using System.Globalization;
using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class NotificationsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_as_admin_returns_the_notification_in_maas_shape()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var target = await host.CreateUserAsync();
        var ident = RegionTestHost.Unique("ident");

        var n = await (await admin.Client.PostAsync(
            "notifications/",
            ("message", "Disk {disk} is failing"),
            ("context", """{"disk": "sda"}"""),
            ("category", "warning"),
            ("ident", ident),
            ("user", target.Id.ToString(CultureInfo.InvariantCulture)))).ShouldBeJsonAsync();

        var id = n.GetProperty("id").GetInt64();
        n.GetProperty("message").GetString().ShouldBe("Disk {disk} is failing");
        n.GetProperty("context").GetProperty("disk").GetString().ShouldBe("sda");
        n.GetProperty("category").GetString().ShouldBe("warning");
        n.GetProperty("ident").GetString().ShouldBe(ident);
        n.GetProperty("user").GetProperty("username").GetString().ShouldBe(target.Username);
        n.GetProperty("users").GetBoolean().ShouldBeFalse();
        n.GetProperty("admins").GetBoolean().ShouldBeFalse();
        n.GetProperty("dismissable").GetBoolean().ShouldBeTrue();
        n.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/notifications/{id}/");
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("SETTINGS", $"Created notification {id}."));
    }

    [Fact]
    public async Task List_shows_users_notifications_to_non_admins_and_admins_notifications_to_admins()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var forUsers = await CreateAsync(admin, ("users", "true"));
        var forAdmins = await CreateAsync(admin, ("admins", "true"));

        var userSees = await ListedIdsAsync(user);
        var adminSees = await ListedIdsAsync(admin);

        userSees.ShouldContain(forUsers);
        userSees.ShouldNotContain(forAdmins);
        adminSees.ShouldContain(forAdmins);
        adminSees.ShouldNotContain(forUsers);
    }

    [Fact]
    public async Task A_notification_for_one_user_is_listed_for_that_user_only()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var target = await host.CreateUserAsync();
        var bystander = await host.CreateUserAsync();
        var id = await CreateAsync(admin, ("user", target.Id.ToString(CultureInfo.InvariantCulture)));

        (await ListedIdsAsync(target)).ShouldContain(id);
        (await ListedIdsAsync(bystander)).ShouldNotContain(id);
        (await ListedIdsAsync(admin)).ShouldNotContain(id);
    }

    [Fact]
    public async Task Dismiss_hides_the_notification_from_the_dismissing_user_only()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var alice = await host.CreateUserAsync();
        var bob = await host.CreateUserAsync();
        var id = await CreateAsync(admin, ("users", "true"));

        var response = await alice.Client.PostOpAsync($"notifications/{id}/", "dismiss");

        (await response.ShouldBeJsonAsync()).ValueKind.ShouldBe(JsonValueKind.Null);
        (await ListedIdsAsync(alice)).ShouldNotContain(id);
        (await ListedIdsAsync(bob)).ShouldContain(id);
    }

    [Fact]
    public async Task Dismiss_of_a_notification_not_addressed_to_the_caller_is_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(admin, ("admins", "true"));

        await (await user.Client.PostOpAsync($"notifications/{id}/", "dismiss")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Dismiss_of_an_undismissable_notification_is_a_conflict()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(admin, ("users", "true"), ("dismissable", "false"));

        await (await user.Client.PostOpAsync($"notifications/{id}/", "dismiss")).ShouldBeTextAsync(HttpStatusCode.Conflict);

        (await ListedIdsAsync(user)).ShouldContain(id);
    }

    [Fact]
    public async Task Read_is_allowed_to_addressees_and_admins_and_forbidden_to_others()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var target = await host.CreateUserAsync();
        var bystander = await host.CreateUserAsync();
        var id = await CreateAsync(admin, ("user", target.Id.ToString(CultureInfo.InvariantCulture)));

        await (await target.Client.GetAsync($"notifications/{id}/")).ShouldBeJsonAsync();
        await (await admin.Client.GetAsync($"notifications/{id}/")).ShouldBeJsonAsync();
        await (await bystander.Client.GetAsync($"notifications/{id}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("abc")]
    public async Task Read_of_an_unknown_notification_is_not_found(string id)
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetAsync($"notifications/{id}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Writes_by_a_non_admin_are_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(admin, ("users", "true"));

        await (await user.Client.PostAsync("notifications/", ("message", "hi"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"notifications/{id}/", ("message", "changed"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"notifications/{id}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await (await user.Client.GetAsync($"notifications/{id}/")).ShouldBeJsonAsync()).GetProperty("message").GetString().ShouldBe("Heads up");
    }

    [Theory]
    [InlineData("category", "urgent")]
    [InlineData("context", "[1, 2]")]
    [InlineData("context", "{not json")]
    [InlineData("user", "999999")]
    public async Task Create_with_an_invalid_field_is_a_field_error_on_it(string field, string value)
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("notifications/", ("message", "x"), (field, value))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe([field]);
    }

    [Fact]
    public async Task Create_without_a_message_or_with_a_taken_ident_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var ident = RegionTestHost.Unique("ident");
        await CreateAsync(admin, ("ident", ident));

        (await (await admin.Client.PostAsync("notifications/", ("users", "true"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["message"]);
        (await (await admin.Client.PostAsync("notifications/", ("message", "again"), ("ident", ident))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["ident"]);
    }

    [Fact]
    public async Task Update_changes_only_the_given_fields()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var id = await CreateAsync(admin, ("users", "true"), ("category", "error"));

        var n = await (await admin.Client.PutAsync($"notifications/{id}/", ("message", "Resolved"), ("category", "success"))).ShouldBeJsonAsync();

        n.GetProperty("message").GetString().ShouldBe("Resolved");
        n.GetProperty("category").GetString().ShouldBe("success");
        n.GetProperty("users").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Delete_removes_the_notification_for_everyone()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(admin, ("users", "true"));

        (await admin.Client.DeleteAsync($"notifications/{id}/")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await ListedIdsAsync(user)).ShouldNotContain(id);
        await (await admin.Client.GetAsync($"notifications/{id}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    private static async Task<long> CreateAsync(TestUser admin, params (string, string)[] fields) =>
        (await (await admin.Client.PostAsync("notifications/", [("message", "Heads up"), .. fields])).ShouldBeJsonAsync()).GetProperty("id").GetInt64();

    private static async Task<List<long>> ListedIdsAsync(TestUser user) =>
        (await (await user.Client.GetAsync("notifications/")).ShouldBeJsonAsync()).EnumerateArray().Select(n => n.GetProperty("id").GetInt64()).ToList();
}

using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class MaasApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Get_config_of_an_unset_setting_answers_its_default_as_json()
    {
        var user = await host.CreateUserAsync();

        var value = await (await user.Client.GetOpAsync("maas/", "get_config", ("name", "default_storage_layout"))).ShouldBeJsonAsync();

        value.GetString().ShouldBe("flat");
    }

    [Fact]
    public async Task Get_config_of_a_nullable_setting_answers_null()
    {
        var user = await host.CreateUserAsync();

        var value = await (await user.Client.GetOpAsync("maas/", "get_config", ("name", "upstream_dns"))).ShouldBeJsonAsync();

        value.ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Get_config_of_an_unknown_name_is_a_field_error_on_name()
    {
        var user = await host.CreateUserAsync();

        var errors = await (await user.Client.GetOpAsync("maas/", "get_config", ("name", "no_such_setting"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["name"]);
    }

    [Fact]
    public async Task Get_config_of_the_archives_answers_ubuntus_public_archives()
    {
        var user = await host.CreateUserAsync();

        var main = await (await user.Client.GetOpAsync("maas/", "get_config", ("name", "main_archive"))).ShouldBeJsonAsync();

        main.GetString().ShouldBe("http://archive.ubuntu.com/ubuntu");
    }

    [Fact]
    public async Task Set_config_as_admin_stores_the_typed_value_and_audits_it()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var response = await admin.Client.PostOpAsync("maas/", "set_config", ("name", "node_timeout"), ("value", "45"));

        (await response.ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe("OK");
        var value = await (await admin.Client.GetOpAsync("maas/", "get_config", ("name", "node_timeout"))).ShouldBeJsonAsync();
        value.ValueKind.ShouldBe(JsonValueKind.Number);
        value.GetInt32().ShouldBe(45);
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("SETTINGS", "Updated configuration setting 'node_timeout' to '45'."));
    }

    [Fact]
    public async Task Set_config_under_the_old_name_ntp_server_sets_ntp_servers()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.PostOpAsync("maas/", "set_config", ("name", "ntp_server"), ("value", "ntp.example.com"))).ShouldBeTextAsync(HttpStatusCode.OK);

        var value = await (await admin.Client.GetOpAsync("maas/", "get_config", ("name", "ntp_servers"))).ShouldBeJsonAsync();
        value.GetString().ShouldBe("ntp.example.com");
    }

    [Fact]
    public async Task Set_config_with_an_empty_value_clears_a_nullable_setting()
    {
        var admin = await host.CreateUserAsync(admin: true);
        await (await admin.Client.PostOpAsync("maas/", "set_config", ("name", "kernel_opts"), ("value", "quiet"))).ShouldBeTextAsync(HttpStatusCode.OK);

        await (await admin.Client.PostOpAsync("maas/", "set_config", ("name", "kernel_opts"), ("value", ""))).ShouldBeTextAsync(HttpStatusCode.OK);

        (await (await admin.Client.GetOpAsync("maas/", "get_config", ("name", "kernel_opts"))).ShouldBeJsonAsync()).ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Set_config_by_a_non_admin_is_forbidden_and_changes_nothing()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.PostOpAsync("maas/", "set_config", ("name", "maas_name"), ("value", "hijacked"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await (await user.Client.GetOpAsync("maas/", "get_config", ("name", "maas_name"))).ShouldBeJsonAsync()).GetString().ShouldNotBe("hijacked");
    }

    [Fact]
    public async Task Set_config_with_a_value_of_the_wrong_kind_is_a_field_error_on_value()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostOpAsync("maas/", "set_config", ("name", "node_timeout"), ("value", "soon"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["value"]);
    }

    [Fact]
    public async Task Set_config_without_a_value_is_a_field_error_on_value()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostOpAsync("maas/", "set_config", ("name", "maas_name"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["value"]);
    }

    [Fact]
    public async Task Set_config_does_not_repeat_secrets_in_the_audit_log()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.PostOpAsync("maas/", "set_config", ("name", "vcenter_password"), ("value", "hunter2"))).ShouldBeTextAsync(HttpStatusCode.OK);

        var audit = await host.AuditEventsByAsync(admin.Username);
        audit.ShouldContain(("SETTINGS", "Updated configuration setting 'vcenter_password' to '********'."));
        audit.ShouldNotContain(e => e.Description.Contains("hunter2"));
    }
}

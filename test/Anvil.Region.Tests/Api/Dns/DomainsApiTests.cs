using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Api.Network;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Dns;

public sealed class DomainsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Listing_shows_the_default_maas_domain_with_maas_fields()
    {
        var user = await host.CreateUserAsync();

        var domains = await (await user.Client.GetAsync("domains/")).ShouldBeJsonAsync();

        var maas = domains.EnumerateArray().Single(d => d.Id() == 0);
        maas.Str("name").ShouldBe("maas");
        maas.GetProperty("authoritative").GetBoolean().ShouldBeTrue();
        maas.GetProperty("is_default").GetBoolean().ShouldBeTrue();
        maas.GetProperty("ttl").ValueKind.ShouldBe(JsonValueKind.Null);
        maas.GetProperty("resource_record_count").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
        maas.Str("resource_uri").ShouldBe("/MAAS/api/2.0/domains/0/");
    }

    [Fact]
    public async Task Create_read_update_and_delete_a_domain_with_audit_events()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("dom");

        var created = await (await admin.Client.PostAsync("domains/", ("name", name), ("authoritative", "false"), ("forward_dns_servers", "10.9.9.1, 10.9.9.2"))).ShouldBeJsonAsync();
        var read = await (await admin.Client.GetAsync($"domains/{created.Id()}/")).ShouldBeJsonAsync();
        var updated = await (await admin.Client.PutAsync($"domains/{created.Id()}/", ("ttl", "300"), ("authoritative", "true"), ("forward_dns_servers", ""))).ShouldBeJsonAsync();
        await (await admin.Client.DeleteAsync($"domains/{created.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        created.GetProperty("authoritative").GetBoolean().ShouldBeFalse();
        created.GetProperty("forward_dns_servers").EnumerateArray().Select(e => e.GetString()).ShouldBe(["10.9.9.1", "10.9.9.2"]);
        created.GetProperty("is_default").GetBoolean().ShouldBeFalse();
        read.Str("name").ShouldBe(name);
        updated.GetProperty("ttl").GetInt32().ShouldBe(300);
        updated.GetProperty("authoritative").GetBoolean().ShouldBeTrue();
        updated.GetProperty("forward_dns_servers").GetArrayLength().ShouldBe(0);
        await (await admin.Client.GetAsync($"domains/{created.Id()}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await host.AuditEventsByAsync(admin.Username)).ShouldBe(
        [
            ("NETWORKING", $"Created domain '{name}'."),
            ("NETWORKING", $"Updated domain '{name}'."),
            ("NETWORKING", $"Deleted domain '{name}'."),
        ]);
    }

    [Theory]
    [InlineData("name", "bad_name!", "name")]
    [InlineData("name", "-leading.example", "name")]
    [InlineData("ttl", "0", "ttl")]
    [InlineData("ttl", "604801", "ttl")]
    [InlineData("forward_dns_servers", "not-an-ip", "forward_dns_servers")]
    public async Task Create_refuses_invalid_fields_with_a_field_error(string field, string value, string errorField)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var form = field == "name" ? new[] { (field, value) } : [("name", RegionTestHost.Unique("dom")), (field, value), ("authoritative", "false")];

        var errors = await (await admin.Client.PostAsync("domains/", form)).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldContain(errorField);
    }

    [Fact]
    public async Task Create_refuses_a_taken_name_and_forwarders_on_an_authoritative_domain()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var taken = await (await admin.Client.PostAsync("domains/", ("name", "maas"))).ShouldBeFieldErrorsAsync();
        var forwarded = await (await admin.Client.PostAsync("domains/", ("name", RegionTestHost.Unique("dom")), ("forward_dns_servers", "10.0.0.1"))).ShouldBeFieldErrorsAsync();

        taken["name"].ShouldBe(["Domain with this Name already exists."]);
        forwarded.Keys.ShouldBe(["forward_dns_servers"]);
    }

    [Fact]
    public async Task Writes_are_for_admins_only()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.PostAsync("domains/", ("name", RegionTestHost.Unique("dom")))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync("domains/0/", ("ttl", "60"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync("domains/0/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync("domains/0/", "set_default")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync("domains/", "set_serial", ("serial", "5"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Unknown_domains_are_404()
    {
        var admin = await host.CreateUserAsync(admin: true);

        (await (await admin.Client.GetAsync("domains/987654/")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("No Domain matches the given query.");
        await (await admin.Client.PutAsync("domains/987654/", ("ttl", "60"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync("domains/987654/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_default_domain_cannot_be_deleted_nor_made_non_authoritative()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var text = await (await admin.Client.DeleteAsync("domains/0/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);
        var errors = await (await admin.Client.PutAsync("domains/0/", ("authoritative", "false"))).ShouldBeFieldErrorsAsync();

        text.ShouldBe("This domain is the default domain, it cannot be deleted.");
        errors.Keys.ShouldBe(["authoritative"]);
    }

    [Fact]
    public async Task A_domain_with_dns_resources_cannot_be_deleted()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var domain = await (await admin.Client.PostAsync("domains/", ("name", RegionTestHost.Unique("dom")))).ShouldBeJsonAsync();
        await (await admin.Client.PostAsync("dnsresources/", ("name", "www"), ("domain", $"{domain.Id()}"), ("ip_addresses", "192.0.2.77"))).ShouldBeJsonAsync();

        var text = await (await admin.Client.DeleteAsync($"domains/{domain.Id()}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);
        var read = await (await admin.Client.GetAsync($"domains/{domain.Id()}/")).ShouldBeJsonAsync();

        text.ShouldContain("1 DNS resource(s)");
        read.GetProperty("resource_record_count").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task A_domain_with_nodes_cannot_be_deleted()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var domain = await (await admin.Client.PostAsync("domains/", ("name", RegionTestHost.Unique("dom")))).ShouldBeJsonAsync();
        var node = await host.CreateNodeAsync();
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition("UPDATE node SET domain_id = @domain WHERE id = @node", new { domain = domain.Id(), node = node.Id }, tx)),
            CancellationToken.None);

        var text = await (await admin.Client.DeleteAsync($"domains/{domain.Id()}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        text.ShouldContain("1 node(s)");
    }

    [Fact]
    public async Task Set_default_moves_the_default_to_another_domain()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var domain = await (await admin.Client.PostAsync("domains/", ("name", RegionTestHost.Unique("dom")))).ShouldBeJsonAsync();

        var result = await (await admin.Client.PostOpAsync($"domains/{domain.Id()}/", "set_default")).ShouldBeJsonAsync();
        var old = await (await admin.Client.GetAsync("domains/0/")).ShouldBeJsonAsync();
        await (await admin.Client.PostOpAsync("domains/0/", "set_default")).ShouldBeJsonAsync();

        result.GetProperty("is_default").GetBoolean().ShouldBeTrue();
        old.GetProperty("is_default").GetBoolean().ShouldBeFalse();
        (await host.CountAsync("SELECT count(*) FROM domain WHERE is_default AND id = 0")).ShouldBe(1);
    }

    [Fact]
    public async Task Set_serial_stores_the_serial_and_refuses_out_of_range_values()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var ok = await (await admin.Client.PostOpAsync("domains/", "set_serial", ("serial", "4000000000"))).ShouldBeTextAsync(HttpStatusCode.OK);
        var zero = await (await admin.Client.PostOpAsync("domains/", "set_serial", ("serial", "0"))).ShouldBeFieldErrorsAsync();
        var missing = await admin.Client.PostOpAsync("domains/", "set_serial");

        ok.ShouldBe("OK");
        zero.Keys.ShouldBe(["serial"]);
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.CountAsync("SELECT (value #>> '{}')::bigint FROM config WHERE name = 'dns_serial'")).ShouldBe(4_000_000_000);
    }
}

using System.Net;
using Anvil.Region.Tests.Api.Network;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Dns;

public sealed class DnsResourcesApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_by_fqdn_links_new_addresses_as_user_reserved_in_their_subnet()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net);
        var name = RegionTestHost.Unique("web");

        var resource = await (await admin.Client.PostAsync(
            "dnsresources/", ("fqdn", $"{name}.maas"), ("address_ttl", "120"), ("ip_addresses", $"{net.At(10)} {net.At(11)}"))).ShouldBeJsonAsync();

        resource.Str("fqdn").ShouldBe($"{name}.maas");
        resource.GetProperty("address_ttl").GetInt32().ShouldBe(120);
        resource.Str("resource_uri").ShouldBe($"/MAAS/api/2.0/dnsresources/{resource.Id()}/");
        resource.GetProperty("resource_records").GetArrayLength().ShouldBe(0);
        var addresses = resource.GetProperty("ip_addresses").EnumerateArray().ToList();
        addresses.Select(a => a.Str("ip")).ShouldBe([net.At(10), net.At(11)], ignoreOrder: true);
        addresses.ShouldAllBe(a => a.GetProperty("alloc_type").GetInt32() == 4);
        addresses.ShouldAllBe(a => a.GetProperty("subnet").GetProperty("id").GetInt64() == subnet.Id());
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("NETWORKING", $"Created DNS resource '{name}.maas'."));
    }

    [Fact]
    public async Task Create_links_an_existing_address_as_it_is()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net);
        var addressId = await host.InsertAddressAsync(subnet.Id(), net.At(20), allocType: 1);

        var resource = await (await admin.Client.PostAsync(
            "dnsresources/", ("name", RegionTestHost.Unique("n")), ("domain", "maas"), ("ip_addresses", net.At(20)))).ShouldBeJsonAsync();

        resource.GetProperty("ip_addresses")[0].GetProperty("alloc_type").GetInt32().ShouldBe(1);
        (await host.CountAsync("SELECT count(*) FROM staticipaddress WHERE ip = @ip::inet", new { ip = net.At(20) })).ShouldBe(1);
        (await host.CountAsync("SELECT count(*) FROM dnsresource_ip WHERE staticipaddress_id = @addressId", new { addressId })).ShouldBe(1);
    }

    [Fact]
    public async Task Update_replaces_addresses_and_renames_and_delete_keeps_the_addresses()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var domain = await (await admin.Client.PostAsync("domains/", ("name", RegionTestHost.Unique("dom")))).ShouldBeJsonAsync();
        var resource = await (await admin.Client.PostAsync("dnsresources/", ("name", "a"), ("ip_addresses", "198.51.100.1"))).ShouldBeJsonAsync();

        var updated = await (await admin.Client.PutAsync(
            $"dnsresources/{resource.Id()}/", ("name", "b"), ("domain", domain.Str("name")), ("ip_addresses", "198.51.100.2 2001:db8::5"), ("address_ttl", ""))).ShouldBeJsonAsync();
        await (await admin.Client.DeleteAsync($"dnsresources/{resource.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        updated.Str("fqdn").ShouldBe($"b.{domain.Str("name")}");
        updated.GetProperty("ip_addresses").EnumerateArray().Select(a => a.Str("ip")).ShouldBe(["198.51.100.2", "2001:db8::5"], ignoreOrder: true);
        await (await admin.Client.GetAsync($"dnsresources/{resource.Id()}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await host.CountAsync("SELECT count(*) FROM staticipaddress WHERE ip IN ('198.51.100.1', '198.51.100.2')")).ShouldBe(2);
    }

    [Fact]
    public async Task Listing_filters_by_fqdn_domain_name_and_rrtype()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var domain = await (await admin.Client.PostAsync("domains/", ("name", RegionTestHost.Unique("dom")))).ShouldBeJsonAsync();
        var dn = domain.Str("name");
        var v4 = await (await admin.Client.PostAsync("dnsresources/", ("fqdn", $"v4.{dn}"), ("ip_addresses", "203.0.113.9"))).ShouldBeJsonAsync();
        var v6 = await (await admin.Client.PostAsync("dnsresources/", ("fqdn", $"v6.{dn}"), ("ip_addresses", "2001:db8::9"))).ShouldBeJsonAsync();
        await (await admin.Client.PostAsync("dnsresourcerecords/", ("fqdn", $"mail.{dn}"), ("rrtype", "MX"), ("rrdata", "10 mx.example.com"))).ShouldBeJsonAsync();

        async Task<List<string>> Fqdns(params (string, string)[] query) =>
            (await (await admin.Client.GetAsync("dnsresources/", query)).ShouldBeJsonAsync()).EnumerateArray().Select(r => r.Str("fqdn")).ToList();

        (await Fqdns(("domain", dn))).ShouldBe([$"v4.{dn}", $"v6.{dn}", $"mail.{dn}"]);
        (await Fqdns(("fqdn", $"v6.{dn}"))).ShouldBe([$"v6.{dn}"]);
        (await Fqdns(("domain", $"{domain.Id()}"), ("name", "v4"))).ShouldBe([$"v4.{dn}"]);
        (await Fqdns(("domain", dn), ("rrtype", "AAAA"))).ShouldBe([$"v6.{dn}"]);
        (await Fqdns(("domain", dn), ("rrtype", "mx"))).ShouldBe([$"mail.{dn}"]);
        (await Fqdns(("domain", "no-such-domain"))).ShouldBeEmpty();
        v4.Id().ShouldNotBe(v6.Id());
    }

    [Fact]
    public async Task Create_refuses_invalid_names_addresses_ttls_and_duplicates()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("dup");
        await (await admin.Client.PostAsync("dnsresources/", ("name", name))).ShouldBeJsonAsync();

        var badName = await (await admin.Client.PostAsync("dnsresources/", ("name", "bad name!"))).ShouldBeFieldErrorsAsync();
        var badIp = await (await admin.Client.PostAsync("dnsresources/", ("name", "x1"), ("ip_addresses", "10.0.0.300"))).ShouldBeFieldErrorsAsync();
        var badTtl = await (await admin.Client.PostAsync("dnsresources/", ("name", "x2"), ("address_ttl", "-1"))).ShouldBeFieldErrorsAsync();
        var noName = await (await admin.Client.PostAsync("dnsresources/")).ShouldBeFieldErrorsAsync();
        var noDomain = await (await admin.Client.PostAsync("dnsresources/", ("fqdn", "x.nowhere.invalid"))).ShouldBeFieldErrorsAsync();
        var unknownDomain = await (await admin.Client.PostAsync("dnsresources/", ("name", "x3"), ("domain", "nowhere"))).ShouldBeFieldErrorsAsync();
        var duplicate = await (await admin.Client.PostAsync("dnsresources/", ("fqdn", $"{name}.maas"))).ShouldBeFieldErrorsAsync();

        badName.Keys.ShouldBe(["name"]);
        badIp.Keys.ShouldBe(["ip_addresses"]);
        badTtl.Keys.ShouldBe(["address_ttl"]);
        noName.Keys.ShouldBe(["fqdn"]);
        noDomain.Keys.ShouldBe(["fqdn"]);
        unknownDomain.Keys.ShouldBe(["domain"]);
        duplicate.Keys.ShouldBe(["name"]);
    }

    [Fact]
    public async Task Addresses_cannot_join_a_name_that_has_a_cname()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("alias");
        var record = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", name), ("rrtype", "CNAME"), ("rrdata", "target.example.com."))).ShouldBeJsonAsync();
        var resource = (await (await admin.Client.GetAsync("dnsresources/", ("name", name))).ShouldBeJsonAsync())[0];

        var errors = await (await admin.Client.PutAsync($"dnsresources/{resource.Id()}/", ("ip_addresses", "192.0.2.200"))).ShouldBeFieldErrorsAsync();

        errors["ip_addresses"].ShouldBe(["CNAME records for a name cannot coexist with other records."]);
        record.Str("rrtype").ShouldBe("CNAME");
    }

    [Fact]
    public async Task Writes_are_for_admins_and_unknown_ids_are_404()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var resource = await (await admin.Client.PostAsync("dnsresources/", ("name", RegionTestHost.Unique("r")))).ShouldBeJsonAsync();

        await (await user.Client.PostAsync("dnsresources/", ("name", "mine"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"dnsresources/{resource.Id()}/", ("address_ttl", "5"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"dnsresources/{resource.Id()}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        var read = await (await user.Client.GetAsync($"dnsresources/{resource.Id()}/")).ShouldBeJsonAsync();
        (await (await admin.Client.GetAsync("dnsresources/999999/")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("No DNSResource matches the given query.");
        await (await admin.Client.PutAsync("dnsresources/999999/", ("address_ttl", "5"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync("dnsresources/999999/")).ShouldBeTextAsync(HttpStatusCode.NotFound);

        read.Id().ShouldBe(resource.Id());
    }
}

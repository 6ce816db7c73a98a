using System.Net;
using Anvil.Region.Tests.Api.Network;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Dns;

public sealed class DnsResourceRecordsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Theory]
    [InlineData("MX", "10   mail.example.com", "10 mail.example.com")]
    [InlineData("mx", "0 mx1.example.com.", "0 mx1.example.com.")]
    [InlineData("CNAME", "target.example.com", "target.example.com")]
    [InlineData("NS", "ns1.example.com.", "ns1.example.com.")]
    [InlineData("PTR", "host.example.com", "host.example.com")]
    [InlineData("TXT", "v=spf1 -all", "v=spf1 -all")]
    [InlineData("SSHFP", "1 2 ABCDEF0123", "1 2 abcdef0123")]
    [InlineData("CAA", "0 issue letsencrypt.org", "0 issue letsencrypt.org")]
    public async Task Create_accepts_valid_data_and_normalises_it(string rrtype, string rrdata, string expected)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("r");

        var record = await (await admin.Client.PostAsync("dnsresourcerecords/", ("fqdn", $"{name}.maas"), ("rrtype", rrtype), ("rrdata", rrdata), ("ttl", "60"))).ShouldBeJsonAsync();

        record.Str("fqdn").ShouldBe($"{name}.maas");
        record.Str("rrtype").ShouldBe(rrtype.ToUpperInvariant());
        record.Str("rrdata").ShouldBe(expected);
        record.GetProperty("ttl").GetInt32().ShouldBe(60);
        record.Str("resource_uri").ShouldBe($"/MAAS/api/2.0/dnsresourcerecords/{record.Id()}/");
    }

    [Fact]
    public async Task Srv_records_need_a_service_name_and_four_fields()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var record = await (await admin.Client.PostAsync("dnsresourcerecords/", ("fqdn", "_ldap._tcp.maas"), ("rrtype", "SRV"), ("rrdata", "0 5 389 ldap.example.com"))).ShouldBeJsonAsync();
        var badName = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", "ldap"), ("rrtype", "SRV"), ("rrdata", "0 5 389 ldap.example.com"))).ShouldBeFieldErrorsAsync();
        var badData = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", "_x._udp"), ("rrtype", "SRV"), ("rrdata", "0 5 70000 t.example.com"))).ShouldBeFieldErrorsAsync();

        record.Str("fqdn").ShouldBe("_ldap._tcp.maas");
        badName.Keys.ShouldBe(["name"]);
        badData.Keys.ShouldBe(["rrdata"]);
    }

    [Theory]
    [InlineData("A", "10.0.0.1", "rrtype")]
    [InlineData("AAAA", "2001:db8::1", "rrtype")]
    [InlineData("HINFO", "x y", "rrtype")]
    [InlineData("", "x", "rrtype")]
    [InlineData("MX", "mail.example.com", "rrdata")]
    [InlineData("MX", "70000 mail.example.com", "rrdata")]
    [InlineData("CNAME", "not a host", "rrdata")]
    [InlineData("CNAME", "bad..name", "rrdata")]
    [InlineData("SSHFP", "1 2 xyz", "rrdata")]
    [InlineData("TXT", "", "rrdata")]
    [InlineData("CAA", "300 issue x", "rrdata")]
    public async Task Create_refuses_bad_types_and_data_with_a_field_error(string rrtype, string rrdata, string field)
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", RegionTestHost.Unique("r")), ("rrtype", rrtype), ("rrdata", rrdata))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldContain(field);
    }

    [Fact]
    public async Task A_cname_cannot_share_its_name_with_other_records_or_addresses()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var withTxt = RegionTestHost.Unique("t");
        var withCname = RegionTestHost.Unique("c");
        var withAddress = RegionTestHost.Unique("a");
        await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", withTxt), ("rrtype", "TXT"), ("rrdata", "hello"))).ShouldBeJsonAsync();
        await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", withCname), ("rrtype", "CNAME"), ("rrdata", "x.example.com"))).ShouldBeJsonAsync();
        await (await admin.Client.PostAsync("dnsresources/", ("name", withAddress), ("ip_addresses", "192.0.2.44"))).ShouldBeJsonAsync();

        var cnameOnTxt = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", withTxt), ("rrtype", "CNAME"), ("rrdata", "y.example.com"))).ShouldBeFieldErrorsAsync();
        var txtOnCname = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", withCname), ("rrtype", "TXT"), ("rrdata", "x"))).ShouldBeFieldErrorsAsync();
        var secondCname = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", withCname), ("rrtype", "CNAME"), ("rrdata", "z.example.com"))).ShouldBeFieldErrorsAsync();
        var cnameOnAddress = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", withAddress), ("rrtype", "CNAME"), ("rrdata", "z.example.com"))).ShouldBeFieldErrorsAsync();

        foreach (var errors in new[] { cnameOnTxt, txtOnCname, secondCname, cnameOnAddress })
            errors["rrtype"].ShouldBe(["CNAME records for a name cannot coexist with other records."]);
    }

    [Fact]
    public async Task Update_changes_data_and_delete_of_the_last_record_removes_the_name()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("u");
        var record = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", name), ("rrtype", "TXT"), ("rrdata", "one"))).ShouldBeJsonAsync();

        var updated = await (await admin.Client.PutAsync($"dnsresourcerecords/{record.Id()}/", ("rrdata", "two"), ("ttl", "90"))).ShouldBeJsonAsync();
        var retyped = await (await admin.Client.PutAsync($"dnsresourcerecords/{record.Id()}/", ("rrtype", "MX"))).ShouldBeFieldErrorsAsync();
        await (await admin.Client.DeleteAsync($"dnsresourcerecords/{record.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        updated.Str("rrdata").ShouldBe("two");
        updated.GetProperty("ttl").GetInt32().ShouldBe(90);
        retyped.Keys.ShouldBe(["rrdata"]);
        await (await admin.Client.GetAsync($"dnsresourcerecords/{record.Id()}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await host.CountAsync("SELECT count(*) FROM dnsresource WHERE name = @name", new { name })).ShouldBe(0);
        (await host.AuditEventsByAsync(admin.Username)).ShouldBe(
        [
            ("NETWORKING", $"Created TXT record of '{name}.maas'."),
            ("NETWORKING", $"Updated TXT record of '{name}.maas'."),
            ("NETWORKING", $"Deleted TXT record of '{name}.maas'."),
        ]);
    }

    [Fact]
    public async Task Listing_filters_and_records_show_in_their_dns_resource()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("l");
        var mx = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", name), ("rrtype", "MX"), ("rrdata", "5 mx.example.com"))).ShouldBeJsonAsync();
        var txt = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", name), ("rrtype", "TXT"), ("rrdata", "x"))).ShouldBeJsonAsync();

        var byName = await (await admin.Client.GetAsync("dnsresourcerecords/", ("name", name))).ShouldBeJsonAsync();
        var byType = await (await admin.Client.GetAsync("dnsresourcerecords/", ("fqdn", $"{name}.maas"), ("rrtype", "TXT"))).ShouldBeJsonAsync();
        var resource = (await (await admin.Client.GetAsync("dnsresources/", ("name", name))).ShouldBeJsonAsync())[0];

        byName.EnumerateArray().Select(r => r.Id()).ShouldBe([mx.Id(), txt.Id()]);
        byType.EnumerateArray().Select(r => r.Id()).ShouldBe([txt.Id()]);
        resource.GetProperty("resource_records").EnumerateArray().Select(r => r.Id()).ShouldBe([mx.Id(), txt.Id()]);
    }

    [Fact]
    public async Task Writes_are_for_admins_and_unknown_ids_are_404()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var record = await (await admin.Client.PostAsync("dnsresourcerecords/", ("name", RegionTestHost.Unique("p")), ("rrtype", "TXT"), ("rrdata", "x"))).ShouldBeJsonAsync();

        await (await user.Client.PostAsync("dnsresourcerecords/", ("name", "n"), ("rrtype", "TXT"), ("rrdata", "x"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"dnsresourcerecords/{record.Id()}/", ("rrdata", "y"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"dnsresourcerecords/{record.Id()}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        (await (await user.Client.GetAsync($"dnsresourcerecords/{record.Id()}/")).ShouldBeJsonAsync()).Str("rrdata").ShouldBe("x");
        (await (await admin.Client.GetAsync("dnsresourcerecords/999999/")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("No DNSData matches the given query.");
        await (await admin.Client.PutAsync("dnsresourcerecords/999999/", ("rrdata", "y"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync("dnsresourcerecords/999999/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }
}

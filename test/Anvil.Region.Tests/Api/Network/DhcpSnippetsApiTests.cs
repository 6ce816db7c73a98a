using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class DhcpSnippetsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_stores_structured_options_and_renders_normalised_text()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var snippet = await (await admin.Client.PostAsync(
            "dhcp-snippets/", ("name", "ntp"), ("value", "option ntp-servers 10.0.0.1,10.0.0.2;  # ours"), ("description", "NTP"))).ShouldBeJsonAsync();

        snippet.Str("name").ShouldBe("ntp");
        snippet.Str("value").ShouldBe("option ntp-servers 10.0.0.1, 10.0.0.2;");
        snippet.Str("description").ShouldBe("NTP");
        snippet.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        snippet.GetProperty("global_snippet").GetBoolean().ShouldBeTrue();
        snippet.GetProperty("node").ValueKind.ShouldBe(JsonValueKind.Null);
        snippet.GetProperty("subnet").ValueKind.ShouldBe(JsonValueKind.Null);
        snippet.GetProperty("history").GetArrayLength().ShouldBe(0);
        snippet.Str("resource_uri").ShouldBe($"/MAAS/api/2.0/dhcp-snippets/{snippet.Id()}/");
        (await host.CountAsync(
            "SELECT count(*) FROM dhcpsnippet WHERE id = @id AND options = '[{\"code\":42,\"name\":\"ntp-servers\",\"type\":\"ip-addresses\",\"value\":[\"10.0.0.1\",\"10.0.0.2\"]}]'::jsonb",
            new { id = snippet.Id() })).ShouldBe(1);
        (await host.AuditEventsByAsync(admin.Username)).ShouldBe([("NETWORKING", "Created DHCP snippet 'ntp'.")]);
    }

    [Fact]
    public async Task Free_text_is_refused_with_a_value_error()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("dhcp-snippets/", ("name", "bad"), ("value", "host foo { fixed-address 10.0.0.9; }"))).ShouldBeFieldErrorsAsync();
        var missing = await (await admin.Client.PostAsync("dhcp-snippets/")).ShouldBeFieldErrorsAsync();

        errors["value"].ShouldHaveSingleItem().ShouldContain("not supported");
        missing.Keys.ShouldBe(["name", "value"], ignoreOrder: true);
    }

    [Fact]
    public async Task Updates_keep_history_and_revert_restores_an_earlier_value()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var snippet = await (await admin.Client.PostAsync("dhcp-snippets/", ("name", "mtu"), ("value", "option interface-mtu 1400;"))).ShouldBeJsonAsync();
        var path = $"dhcp-snippets/{snippet.Id()}/";

        await (await admin.Client.PutAsync(path, ("value", "option interface-mtu 1450;"))).ShouldBeJsonAsync();
        var renamed = await (await admin.Client.PutAsync(path, ("name", "jumbo"))).ShouldBeJsonAsync();
        var third = await (await admin.Client.PutAsync(path, ("value", "option interface-mtu 9000;"))).ShouldBeJsonAsync();
        var reverted = await (await admin.Client.PostOpAsync(path, "revert", ("to", "-2"))).ShouldBeJsonAsync();

        renamed.GetProperty("history").GetArrayLength().ShouldBe(1);
        third.GetProperty("history").EnumerateArray().Select(h => h.Str("value")).ShouldBe(["option interface-mtu 1450;", "option interface-mtu 1400;"]);
        reverted.Str("name").ShouldBe("jumbo");
        reverted.Str("value").ShouldBe("option interface-mtu 1400;");
        reverted.GetProperty("history").GetArrayLength().ShouldBe(0);
        (await host.AuditEventsByAsync(admin.Username))[^1].Description.ShouldStartWith("Reverted DHCP snippet 'jumbo'");
    }

    [Fact]
    public async Task Revert_by_history_id_and_refusals_of_unknown_versions()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var snippet = await (await admin.Client.PostAsync("dhcp-snippets/", ("name", "r"), ("value", "option routers 10.1.1.1;"))).ShouldBeJsonAsync();
        var path = $"dhcp-snippets/{snippet.Id()}/";
        var updated = await (await admin.Client.PutAsync(path, ("value", "option routers 10.1.1.2;"))).ShouldBeJsonAsync();
        var versionId = updated.GetProperty("history")[0].Id();

        var unknown = await (await admin.Client.PostOpAsync(path, "revert", ("to", "-5"))).ShouldBeFieldErrorsAsync();
        var missing = await (await admin.Client.PostOpAsync(path, "revert")).ShouldBeFieldErrorsAsync();
        var reverted = await (await admin.Client.PostOpAsync(path, "revert", ("to", $"{versionId}"))).ShouldBeJsonAsync();

        unknown.Keys.ShouldBe(["to"]);
        missing.Keys.ShouldBe(["to"]);
        reverted.Str("value").ShouldBe("option routers 10.1.1.1;");
    }

    [Fact]
    public async Task Snippets_are_scoped_to_a_node_a_subnet_or_an_ip_range()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var node = await host.CreateNodeAsync();
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net);
        var range = await admin.CreateRangeAsync(subnet.Id(), "reserved", net.At(100), net.At(110));

        var forNode = await (await admin.Client.PostAsync("dhcp-snippets/", ("name", "n"), ("value", "option 66 \"tftp\";"), ("node", node.SystemId))).ShouldBeJsonAsync();
        var forSubnet = await (await admin.Client.PostAsync("dhcp-snippets/", ("name", "s"), ("value", "option 66 \"tftp\";"), ("subnet", net.Cidr))).ShouldBeJsonAsync();
        var forRange = await (await admin.Client.PostAsync("dhcp-snippets/", ("name", "i"), ("value", "option 66 \"tftp\";"), ("iprange", $"{range.Id()}"))).ShouldBeJsonAsync();
        var madeGlobal = await (await admin.Client.PutAsync($"dhcp-snippets/{forNode.Id()}/", ("global_snippet", "true"))).ShouldBeJsonAsync();

        forNode.GetProperty("node").Str("system_id").ShouldBe(node.SystemId);
        forNode.GetProperty("global_snippet").GetBoolean().ShouldBeFalse();
        forSubnet.GetProperty("subnet").Id().ShouldBe(subnet.Id());
        forRange.GetProperty("subnet").Id().ShouldBe(subnet.Id());
        forRange.GetProperty("iprange").Id().ShouldBe(range.Id());
        madeGlobal.GetProperty("global_snippet").GetBoolean().ShouldBeTrue();
        madeGlobal.GetProperty("node").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Contradictory_or_unknown_scopes_are_field_errors()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var node = await host.CreateNodeAsync();
        var (a, b) = (TestNet.Next(), TestNet.Next());
        var subnet = await admin.CreateSubnetAsync(a);
        var other = await admin.CreateSubnetAsync(b);
        var range = await admin.CreateRangeAsync(other.Id(), "reserved", b.At(100), b.At(110));
        (string, string)[] base_ = [("name", "x"), ("value", "option routers 10.0.0.1;")];

        var globalAndNode = await (await admin.Client.PostAsync("dhcp-snippets/", [.. base_, ("global_snippet", "true"), ("node", node.SystemId)])).ShouldBeFieldErrorsAsync();
        var nodeAndSubnet = await (await admin.Client.PostAsync("dhcp-snippets/", [.. base_, ("node", node.SystemId), ("subnet", $"{subnet.Id()}")])).ShouldBeFieldErrorsAsync();
        var unknownNode = await (await admin.Client.PostAsync("dhcp-snippets/", [.. base_, ("node", "nosuch")])).ShouldBeFieldErrorsAsync();
        var unknownSubnet = await (await admin.Client.PostAsync("dhcp-snippets/", [.. base_, ("subnet", "999999")])).ShouldBeFieldErrorsAsync();
        var rangeElsewhere = await (await admin.Client.PostAsync("dhcp-snippets/", [.. base_, ("subnet", $"{subnet.Id()}"), ("iprange", $"{range.Id()}")])).ShouldBeFieldErrorsAsync();

        globalAndNode.Keys.ShouldBe(["__all__"]);
        nodeAndSubnet.Keys.ShouldBe(["__all__"]);
        unknownNode.Keys.ShouldBe(["node"]);
        unknownSubnet.Keys.ShouldBe(["subnet"]);
        rangeElsewhere.Keys.ShouldBe(["iprange"]);
    }

    [Fact]
    public async Task Writes_are_for_admins_and_unknown_ids_are_404()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var snippet = await (await admin.Client.PostAsync("dhcp-snippets/", ("name", "p"), ("value", "option routers 10.0.0.1;"))).ShouldBeJsonAsync();
        var path = $"dhcp-snippets/{snippet.Id()}/";

        await (await user.Client.PostAsync("dhcp-snippets/", ("name", "p"), ("value", "option routers 10.0.0.1;"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync(path, ("name", "q"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync(path)).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync(path, "revert", ("to", "-1"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        (await (await user.Client.GetAsync(path)).ShouldBeJsonAsync()).Str("name").ShouldBe("p");
        (await (await admin.Client.GetAsync("dhcp-snippets/999999/")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("No DHCPSnippet matches the given query.");
        await (await admin.Client.PutAsync("dhcp-snippets/999999/", ("name", "q"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync("dhcp-snippets/999999/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PostOpAsync("dhcp-snippets/999999/", "revert", ("to", "-1"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync(path)).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        (await (await admin.Client.GetAsync("dhcp-snippets/")).ShouldBeJsonAsync()).EnumerateArray().Select(s => s.Id()).ShouldNotContain(snippet.Id());
    }
}

using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class SubnetsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_with_only_a_cidr_uses_maas_defaults()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();

        var subnet = await admin.CreateSubnetAsync(net);

        subnet.Str("name").ShouldBe(net.Cidr);
        subnet.Str("cidr").ShouldBe(net.Cidr);
        subnet.Str("description").ShouldBe("");
        subnet.GetProperty("vlan").Id().ShouldBe(5001);
        subnet.GetProperty("vlan").Str("name").ShouldBe("untagged");
        subnet.GetProperty("rdns_mode").GetInt32().ShouldBe(2);
        subnet.GetProperty("gateway_ip").ValueKind.ShouldBe(JsonValueKind.Null);
        subnet.GetProperty("dns_servers").GetArrayLength().ShouldBe(0);
        subnet.GetProperty("allow_dns").GetBoolean().ShouldBeTrue();
        subnet.GetProperty("allow_proxy").GetBoolean().ShouldBeTrue();
        subnet.GetProperty("active_discovery").GetBoolean().ShouldBeFalse();
        subnet.GetProperty("managed").GetBoolean().ShouldBeTrue();
        subnet.GetProperty("disabled_boot_architectures").GetArrayLength().ShouldBe(0);
        subnet.Str("space").ShouldBe("undefined");
        subnet.Str("resource_uri").ShouldBe($"/MAAS/api/2.0/subnets/{subnet.Id()}/");
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("NETWORKING", $"Created subnet '{net.Cidr}' ({net.Cidr})."));
    }

    [Fact]
    public async Task Create_normalises_a_cidr_with_host_bits_and_parses_every_field()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();

        var subnet = await (await admin.Client.PostAsync(
            "subnets/",
            ("cidr", $"{net.At(77)}/24"),
            ("name", "lab"),
            ("gateway_ip", net.At(1)),
            ("dns_servers", $"{net.At(2)}, 8.8.8.8 1.1.1.1"),
            ("rdns_mode", "0"),
            ("allow_dns", "false"),
            ("managed", "false"),
            ("active_discovery", "true"),
            ("disabled_boot_architectures", "pxe 0x07"))).ShouldBeJsonAsync();

        subnet.Str("cidr").ShouldBe(net.Cidr);
        subnet.Str("name").ShouldBe("lab");
        subnet.Str("gateway_ip").ShouldBe(net.At(1));
        subnet.GetProperty("dns_servers").EnumerateArray().Select(d => d.GetString()).ShouldBe([net.At(2), "8.8.8.8", "1.1.1.1"]);
        subnet.GetProperty("rdns_mode").GetInt32().ShouldBe(0);
        subnet.GetProperty("allow_dns").GetBoolean().ShouldBeFalse();
        subnet.GetProperty("managed").GetBoolean().ShouldBeFalse();
        subnet.GetProperty("active_discovery").GetBoolean().ShouldBeTrue();
        subnet.GetProperty("disabled_boot_architectures").EnumerateArray().Select(d => d.GetString()).ShouldBe(["pxe", "uefi_amd64_tftp"]);
    }

    [Theory]
    [InlineData("cidr", "10.0.0.300/24", "Required format: <network>/<prefixlen>.")]
    [InlineData("cidr", "10.0.0.0/0", "Prefix length must be greater than 0.")]
    [InlineData("gateway_ip", "192.0.2.1", "Gateway IP must be within CIDR range.")]
    [InlineData("gateway_ip", "not-an-ip", "Enter a valid IPv4 or IPv6 address.")]
    [InlineData("dns_servers", "8.8.8.8,bogus", "Invalid IP address: bogus.")]
    [InlineData("rdns_mode", "5", "Select a valid choice. 5 is not one of the available choices.")]
    [InlineData("space", "anything", "Spaces may no longer be set on subnets. Set the space on the underlying VLAN.")]
    [InlineData("vlan", "987654", "Select a valid choice. That choice is not one of the available choices.")]
    [InlineData("vid", "3999", "No VLAN with vid 3999 in default fabric.")]
    [InlineData("disabled_boot_architectures", "amiga", "Unknown boot architecture amiga")]
    [InlineData("name", "bad|name", "Enter a valid value.")]
    public async Task Create_with_an_invalid_value_is_a_field_error(string field, string value, string message)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        (string, string)[] form = field == "cidr" ? [("cidr", value)] : [("cidr", net.Cidr), (field, value)];

        var errors = await (await admin.Client.PostAsync("subnets/", form)).ShouldBeFieldErrorsAsync();

        errors[field].ShouldBe([message]);
    }

    [Fact]
    public async Task Create_of_a_subnet_overlapping_another_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        await admin.CreateSubnetAsync(net);

        var errors = await (await admin.Client.PostAsync("subnets/", ("cidr", $"{net.At(128)}/25"))).ShouldBeFieldErrorsAsync();

        errors["__all__"].ShouldBe([$"Subnet {net.At(128)}/25 would overlap with existing subnets."]);
    }

    [Fact]
    public async Task Create_on_a_fabric_and_vid_picks_that_vlan_and_a_vlan_on_another_fabric_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "99"))).ShouldBeJsonAsync();

        var subnet = await admin.CreateSubnetAsync(TestNet.Next(), ("fabric", $"{fabric.Id()}"), ("vid", "99"));
        var onFabricDefault = await admin.CreateSubnetAsync(TestNet.Next(), ("fabric", fabric.Str("name")));
        var errors = await (await admin.Client.PostAsync("subnets/", ("cidr", TestNet.Next().Cidr), ("fabric", "0"), ("vlan", $"{vlan.Id()}"))).ShouldBeFieldErrorsAsync();

        subnet.GetProperty("vlan").Id().ShouldBe(vlan.Id());
        onFabricDefault.GetProperty("vlan").Id().ShouldBe(fabric.GetProperty("vlans")[0].Id());
        errors["vlan"].ShouldBe([$"VLAN {fabric.Str("name")}.99 is not in fabric fabric-0."]);
    }

    [Fact]
    public async Task Subnet_changes_by_a_non_admin_are_forbidden_but_reads_are_not()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var subnet = await admin.CreateSubnetAsync(TestNet.Next());

        await (await user.Client.PostAsync("subnets/", ("cidr", TestNet.Next().Cidr))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"subnets/{subnet.Id()}/", ("description", "x"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"subnets/{subnet.Id()}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.GetAsync($"subnets/{subnet.Id()}/")).ShouldBeJsonAsync();
        (await (await user.Client.GetAsync("subnets/")).ShouldBeJsonAsync()).EnumerateArray().Select(s => s.Id()).ShouldContain(subnet.Id());
    }

    [Fact]
    public async Task Read_finds_a_subnet_by_every_kind_of_specifier()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var space = await (await admin.Client.PostAsync("spaces/", ("name", RegionTestHost.Unique("sp")))).ShouldBeJsonAsync();
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "321"), ("name", RegionTestHost.Unique("vl")), ("space", space.Str("name")))).ShouldBeJsonAsync();
        var net = TestNet.Next();
        var name = RegionTestHost.Unique("sn");
        var subnet = await admin.CreateSubnetAsync(net, ("name", name), ("vlan", $"{vlan.Id()}"));
        string[] specifiers =
        [
            $"{subnet.Id()}", net.Cidr, name, $"id:{subnet.Id()}", $"cidr:{net.Cidr}", $"name:{name}", $"ip:{net.At(9)}",
            $"space:{space.Str("name")}", $"space:{space.Id()}", $"fabric:{fabric.Id()}", $"fabric:{fabric.Str("name")}",
            $"vlan:{vlan.Str("name")}",
        ];

        foreach (var specifier in specifiers)
        {
            var found = await (await admin.Client.GetAsync($"subnets/{specifier}/")).ShouldBeJsonAsync();
            found.Id().ShouldBe(subnet.Id(), specifier);
        }
    }

    [Fact]
    public async Task Vid_and_undefined_space_specifiers_select_by_vlan()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fabric = await admin.CreateFabricAsync();
        var vlan = await (await admin.Client.PostAsync($"fabrics/{fabric.Id()}/vlans/", ("vid", "3333"))).ShouldBeJsonAsync();
        var subnet = await admin.CreateSubnetAsync(TestNet.Next(), ("vlan", $"{vlan.Id()}"));

        var byVid = await (await admin.Client.GetAsync("subnets/vid:3333/")).ShouldBeJsonAsync();
        var byVlanVid = await (await admin.Client.GetAsync("subnets/vlan:0xd05/")).ShouldBeJsonAsync();
        var ambiguous = await (await admin.Client.GetAsync("subnets/space:undefined/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        byVid.Id().ShouldBe(subnet.Id());
        byVlanVid.Id().ShouldBe(subnet.Id());
        ambiguous.ShouldContain("matches more than one subnet");
    }

    [Theory]
    [InlineData("987654", HttpStatusCode.NotFound)]
    [InlineData("192.0.2.0/24", HttpStatusCode.NotFound)]
    [InlineData("no-such-subnet", HttpStatusCode.NotFound)]
    [InlineData("id:abc", HttpStatusCode.BadRequest)]
    [InlineData("vid:5000", HttpStatusCode.BadRequest)]
    [InlineData("ip:10.0.0", HttpStatusCode.BadRequest)]
    public async Task Read_with_an_unknown_or_invalid_specifier_is_refused(string specifier, HttpStatusCode status)
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetAsync($"subnets/{specifier}/")).ShouldBeTextAsync(status);
    }

    [Fact]
    public async Task Update_changes_fields_and_a_name_that_was_the_cidr_follows_a_new_cidr()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net, ("gateway_ip", net.At(1)));
        var moved = TestNet.Next();

        var updated = await (await admin.Client.PutAsync(
            $"subnets/{net.Cidr}/",
            ("cidr", moved.Cidr),
            ("gateway_ip", moved.At(254)),
            ("description", "moved"),
            ("allow_proxy", "false"))).ShouldBeJsonAsync();

        updated.Id().ShouldBe(subnet.Id());
        updated.Str("cidr").ShouldBe(moved.Cidr);
        updated.Str("name").ShouldBe(moved.Cidr);
        updated.Str("gateway_ip").ShouldBe(moved.At(254));
        updated.Str("description").ShouldBe("moved");
        updated.GetProperty("allow_proxy").GetBoolean().ShouldBeFalse();
        updated.GetProperty("allow_dns").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Update_to_a_cidr_that_leaves_the_gateway_outside_is_a_gateway_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net, ("gateway_ip", net.At(1)));

        var errors = await (await admin.Client.PutAsync($"subnets/{subnet.Id()}/", ("cidr", TestNet.Next().Cidr))).ShouldBeFieldErrorsAsync();

        errors["gateway_ip"].ShouldBe(["Gateway IP must be within CIDR range."]);
    }

    [Fact]
    public async Task Delete_removes_the_subnet_with_its_ranges_and_addresses()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net);
        await admin.CreateRangeAsync(subnet.Id(), "reserved", net.At(10), net.At(19));
        await host.InsertAddressAsync(subnet.Id(), net.At(50), allocType: 4);

        await (await admin.Client.DeleteAsync($"subnets/{subnet.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        await (await admin.Client.GetAsync($"subnets/{subnet.Id()}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await host.CountAsync("SELECT count(*) FROM staticipaddress WHERE ip = @ip::inet", new { ip = net.At(50) })).ShouldBe(0);
        (await host.CountAsync("SELECT count(*) FROM iprange WHERE subnet_id = @id", new { id = subnet.Id() })).ShouldBe(0);
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("NETWORKING", $"Deleted subnet '{net.Cidr}' ({net.Cidr})."));
    }

    [Fact]
    public async Task Delete_of_a_subnet_with_node_addresses_needs_force()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net);
        var node = await host.CreateNodeAsync();
        await host.InsertAddressAsync(subnet.Id(), net.At(20), allocType: 1, node: node);

        var text = await (await admin.Client.DeleteAsync($"subnets/{subnet.Id()}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);
        await (await admin.Client.DeleteAsync($"subnets/{subnet.Id()}/", ("force", "true"))).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        text.ShouldBe("Cannot delete a subnet that has IP addresses in use by nodes. (Use the 'force' parameter to override.)");
        (await host.CountAsync("SELECT count(*) FROM staticipaddress WHERE ip = @ip::inet", new { ip = net.At(20) })).ShouldBe(0);
    }

    [Fact]
    public async Task Delete_of_a_subnet_whose_dynamic_range_dhcp_serves_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await host.CreateNodeAsync(nodeType: 2);
        var fabric = await admin.CreateFabricAsync();
        var vlan = fabric.GetProperty("vlans")[0].Id();
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net, ("vlan", $"{vlan}"));
        await admin.CreateRangeAsync(subnet.Id(), "dynamic", net.At(100), net.At(199));
        await (await admin.Client.PutAsync($"vlans/{vlan}/", ("dhcp_on", "true"), ("primary_rack", rack.SystemId))).ShouldBeJsonAsync();

        var text = await (await admin.Client.DeleteAsync($"subnets/{subnet.Id()}/", ("force", "true"))).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        text.ShouldBe("Cannot delete a subnet that is actively servicing a dynamic IP range. (Delete the dynamic range or disable DHCP first.)");
    }
}

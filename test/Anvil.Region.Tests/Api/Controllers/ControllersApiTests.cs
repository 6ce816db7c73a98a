using System.Net;
using System.Text.Json;
using Anvil.Data.Controllers;
using Anvil.Region.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Controllers;

/// <summary>rackcontrollers/ and regioncontrollers/ (maas-api.md §3.7): controller objects, who may change them, and what deleting one does.</summary>
public sealed class ControllersApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private static readonly string[] RackFields =
    [
        "system_id", "hostname", "description", "hardware_uuid", "domain", "fqdn", "architecture", "cpu_count", "cpu_speed", "memory",
        "swap_size", "osystem", "distro_series", "power_type", "power_state", "ip_addresses", "interface_set", "zone", "status_action",
        "node_type", "node_type_name", "service_set", "current_commissioning_result_id", "current_testing_result_id",
        "current_installation_result_id", "version", "commissioning_status", "commissioning_status_name", "testing_status",
        "testing_status_name", "cpu_test_status", "cpu_test_status_name", "memory_test_status", "memory_test_status_name",
        "network_test_status", "network_test_status_name", "storage_test_status", "storage_test_status_name", "other_test_status",
        "other_test_status_name", "interface_test_status", "interface_test_status_name", "hardware_info", "tag_names", "resource_uri",
    ];

    private static int s_mac;

    [Fact]
    public async Task A_rack_renders_the_controller_fields_with_its_services_by_name_version_and_interfaces()
    {
        var user = await host.CreateUserAsync();
        var rack = await ControllerAsync(2);
        await host.Services.GetRequiredService<ServiceStore>().ReportAsync(rack.Id, [("rackd", "running", ""), ("dhcpd", "dead", "crashed"), ("http", "off", "")]);

        var json = await (await user.Client.GetAsync($"rackcontrollers/{rack.SystemId}/")).ShouldBeJsonAsync();

        json.EnumerateObject().Select(p => p.Name).ShouldBe(RackFields);
        json.GetProperty("node_type").GetInt32().ShouldBe(2);
        json.GetProperty("node_type_name").GetString().ShouldBe("Rack controller");
        json.GetProperty("version").GetString().ShouldBe("3.5.1");
        json.GetProperty("architecture").GetString().ShouldBe("amd64/generic");
        json.GetProperty("service_set").EnumerateArray().Select(s => (s.GetProperty("name").GetString(), s.GetProperty("status").GetString(), s.GetProperty("status_info").GetString()))
            .ShouldBe([("dhcpd", "dead", "crashed"), ("http", "off", ""), ("rackd", "running", "")]);
        json.GetProperty("interface_set").EnumerateArray().Select(i => i.GetProperty("mac_address").GetString()).ShouldBe([rack.Mac]);
        json.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/rackcontrollers/{rack.SystemId}/");
    }

    [Fact]
    public async Task Each_listing_holds_the_controllers_of_its_role_and_machines_list_none_of_them()
    {
        var user = await host.CreateUserAsync();
        var rack = await ControllerAsync(2);
        var region = await ControllerAsync(3);
        var both = await ControllerAsync(4);
        var machine = await host.CreateNodeAsync();

        var racks = SystemIds(await (await user.Client.GetAsync("rackcontrollers/")).ShouldBeJsonAsync());
        var regions = SystemIds(await (await user.Client.GetAsync("regioncontrollers/")).ShouldBeJsonAsync());
        var machines = SystemIds(await (await user.Client.GetAsync("machines/")).ShouldBeJsonAsync());

        racks.ShouldContain(rack.SystemId);
        racks.ShouldContain(both.SystemId);
        racks.ShouldNotContain(region.SystemId);
        racks.ShouldNotContain(machine.SystemId);
        regions.ShouldContain(region.SystemId);
        regions.ShouldContain(both.SystemId);
        regions.ShouldNotContain(rack.SystemId);
        machines.ShouldContain(machine.SystemId);
        machines.ShouldNotContain(rack.SystemId);
        machines.ShouldNotContain(region.SystemId);
        machines.ShouldNotContain(both.SystemId);
    }

    [Fact]
    public async Task A_region_controller_has_no_service_set_and_its_own_resource_uri()
    {
        var user = await host.CreateUserAsync();
        var both = await ControllerAsync(4);

        var json = await (await user.Client.GetAsync($"regioncontrollers/{both.SystemId}/")).ShouldBeJsonAsync();

        json.TryGetProperty("service_set", out _).ShouldBeFalse();
        json.GetProperty("node_type_name").GetString().ShouldBe("Region and rack controller");
        json.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/regioncontrollers/{both.SystemId}/");
    }

    [Fact]
    public async Task Listings_filter_by_hostname_mac_address_and_zone()
    {
        var user = await host.CreateUserAsync();
        var first = await ControllerAsync(2);
        var second = await ControllerAsync(2);

        var byHostname = await (await user.Client.GetAsync("rackcontrollers/", ("hostname", first.Hostname))).ShouldBeJsonAsync();
        var byMac = await (await user.Client.GetAsync("rackcontrollers/", ("mac_address", second.Mac))).ShouldBeJsonAsync();
        var byZone = await (await user.Client.GetAsync("rackcontrollers/", ("zone", "default"))).ShouldBeJsonAsync();

        SystemIds(byHostname).ShouldBe([first.SystemId]);
        SystemIds(byMac).ShouldBe([second.SystemId]);
        SystemIds(byZone).ShouldContain(first.SystemId);
    }

    [Fact]
    public async Task A_node_without_the_role_is_not_found_under_the_resource()
    {
        var user = await host.CreateUserAsync();
        var machine = await host.CreateNodeAsync();
        var region = await ControllerAsync(3);

        (await (await user.Client.GetAsync($"rackcontrollers/{machine.SystemId}/")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("No RackController matches the given query.");
        await (await user.Client.GetAsync($"rackcontrollers/{region.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        await (await user.Client.GetAsync($"regioncontrollers/{machine.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Users_may_read_controllers_but_only_admins_update_delete_or_list_boot_images()
    {
        var user = await host.CreateUserAsync();
        var rack = await ControllerAsync(2);

        await (await user.Client.GetAsync($"rackcontrollers/{rack.SystemId}/")).ShouldBeJsonAsync();
        await (await user.Client.PutAsync($"rackcontrollers/{rack.SystemId}/", ("description", "mine"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"rackcontrollers/{rack.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"regioncontrollers/{rack.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.GetOpAsync($"rackcontrollers/{rack.SystemId}/", "list_boot_images")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        (await host.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT description FROM node WHERE id = @Id", new { rack.Id }), default)).ShouldBe("");
    }

    [Fact]
    public async Task An_admin_updates_description_zone_domain_and_power()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await ControllerAsync(2);
        var zone = RegionTestHost.Unique("zone");
        var domain = RegionTestHost.Unique("dom");
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition("INSERT INTO zone (name) VALUES (@zone); INSERT INTO domain (name) VALUES (@domain)", new { zone, domain }, tx)),
            default);

        var json = await (await admin.Client.PutAsync(
                $"rackcontrollers/{rack.SystemId}/",
                ("description", "top of rack"), ("zone", zone), ("domain", domain), ("power_type", "manual"), ("power_parameters_note", "by hand")))
            .ShouldBeJsonAsync();

        json.GetProperty("description").GetString().ShouldBe("top of rack");
        json.GetProperty("zone").GetProperty("name").GetString().ShouldBe(zone);
        json.GetProperty("domain").GetProperty("name").GetString().ShouldBe(domain);
        json.GetProperty("fqdn").GetString().ShouldBe($"{rack.Hostname}.{domain}");
        json.GetProperty("power_type").GetString().ShouldBe("manual");
        var parameters = await (await admin.Client.GetOpAsync($"rackcontrollers/{rack.SystemId}/", "power_parameters")).ShouldBeJsonAsync();
        parameters.GetProperty("note").GetString().ShouldBe("by hand");
    }

    [Fact]
    public async Task An_update_with_an_unknown_zone_or_power_type_is_a_field_error_and_changes_nothing()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await ControllerAsync(2);

        var errors = await (await admin.Client.PutAsync(
                $"rackcontrollers/{rack.SystemId}/", ("description", "changed"), ("zone", "nowhere"), ("power_type", "teleport")))
            .ShouldBeFieldErrorsAsync();

        errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["power_type", "zone"]);
        (await host.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT description FROM node WHERE id = @Id", new { rack.Id }), default)).ShouldBe("");
    }

    [Fact]
    public async Task Deleting_the_only_rack_serving_dhcp_on_a_vlan_is_refused_without_force()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await ControllerAsync(2);
        var (vlan, fabric) = await VlanAsync(dhcpOn: true, primary: rack.Id, secondary: null);

        var message = await (await admin.Client.DeleteAsync($"rackcontrollers/{rack.SystemId}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        message.ShouldStartWith($"Unable to delete '{rack.Hostname}'; it is currently set as a primary rack controller on VLANs {fabric}.untagged and no other rack controller can provide DHCP.");
        (await VlanStateAsync(vlan)).ShouldBe((true, (long?)rack.Id, (long?)null));
        (await NodeTypeAsync(rack.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task Forcing_the_deletion_turns_dhcp_off_on_the_vlans_only_it_served()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await ControllerAsync(2);
        var (vlan, _) = await VlanAsync(dhcpOn: true, primary: rack.Id, secondary: null);

        await (await admin.Client.DeleteAsync($"rackcontrollers/{rack.SystemId}/", ("force", "true"))).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        (await VlanStateAsync(vlan)).ShouldBe((false, (long?)null, (long?)null));
        (await NodeTypeAsync(rack.Id)).ShouldBeNull();
    }

    [Fact]
    public async Task Deleting_a_rack_promotes_the_secondary_where_it_was_primary_and_clears_it_where_it_was_secondary()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await ControllerAsync(2);
        var other = await ControllerAsync(2);
        var (primaryOf, _) = await VlanAsync(dhcpOn: true, primary: rack.Id, secondary: other.Id);
        var (secondaryOf, _) = await VlanAsync(dhcpOn: true, primary: other.Id, secondary: rack.Id);

        await (await admin.Client.DeleteAsync($"rackcontrollers/{rack.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        (await VlanStateAsync(primaryOf)).ShouldBe((true, (long?)other.Id, (long?)null));
        (await VlanStateAsync(secondaryOf)).ShouldBe((true, (long?)other.Id, (long?)null));
    }

    [Fact]
    public async Task A_region_and_rack_controller_deleted_as_a_rack_stays_a_region_controller()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var both = await ControllerAsync(4);

        await (await admin.Client.DeleteAsync($"rackcontrollers/{both.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        (await NodeTypeAsync(both.Id)).ShouldBe(3);
        await (await admin.Client.GetAsync($"rackcontrollers/{both.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        (await (await admin.Client.GetAsync($"regioncontrollers/{both.SystemId}/")).ShouldBeJsonAsync()).GetProperty("node_type").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task A_region_controller_is_deleted_and_a_region_and_rack_one_keeps_its_rack_role()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var region = await ControllerAsync(3);
        var both = await ControllerAsync(4);

        await (await admin.Client.DeleteAsync($"regioncontrollers/{region.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        await (await admin.Client.DeleteAsync($"regioncontrollers/{both.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        (await NodeTypeAsync(region.Id)).ShouldBeNull();
        (await NodeTypeAsync(both.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task List_boot_images_is_empty_with_unknown_status_and_connected_while_the_rack_was_heard_from_within_90_seconds()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var rack = await ControllerAsync(2);
        var silent = await ControllerAsync(2);
        await host.Services.GetRequiredService<ControllerStore>().TouchAsync(rack.Id, host.Clock.GetUtcNow().AddSeconds(-80));

        var heard = await (await admin.Client.GetOpAsync($"rackcontrollers/{rack.SystemId}/", "list_boot_images")).ShouldBeJsonAsync();
        var never = await (await admin.Client.GetOpAsync($"rackcontrollers/{silent.SystemId}/", "list_boot_images")).ShouldBeJsonAsync();

        heard.GetProperty("images").GetArrayLength().ShouldBe(0);
        heard.GetProperty("status").GetString().ShouldBe("unknown");
        heard.GetProperty("connected").GetBoolean().ShouldBeTrue();
        never.GetProperty("connected").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Describe_power_types_lists_the_drivers_the_region_accepts_for_admins()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();

        var json = await (await admin.Client.GetOpAsync("rackcontrollers/", "describe_power_types")).ShouldBeJsonAsync();

        var manual = json.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "manual");
        manual.GetProperty("driver_type").GetString().ShouldBe("power");
        manual.GetProperty("description").GetString().ShouldBe("Manual");
        manual.GetProperty("queryable").GetBoolean().ShouldBeFalse();
        manual.GetProperty("fields").GetArrayLength().ShouldBe(0);
        await (await user.Client.GetOpAsync("rackcontrollers/", "describe_power_types")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    private sealed record TestController(long Id, string SystemId, string Hostname, string Mac);

    /// <summary>A controller as rack registration leaves it: node type, architecture, version and one interface.</summary>
    private async Task<TestController> ControllerAsync(int nodeType)
    {
        var node = await host.CreateNodeAsync(nodeType: nodeType);
        var n = Interlocked.Increment(ref s_mac) + (Environment.ProcessId % 1000 * 1000);
        var mac = $"02:cc:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}:01";
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE node SET architecture = 'amd64/generic', controller_version = '3.5.1' WHERE id = @id;
                INSERT INTO interface (node_id, name, mac_address) VALUES (@id, 'eth0', @mac::macaddr);
                """,
                new { id = node.Id, mac },
                tx)),
            default);
        return new TestController(node.Id, node.SystemId, node.Hostname, mac);
    }

    private async Task<(long Vlan, string Fabric)> VlanAsync(bool dhcpOn, long? primary, long? secondary)
    {
        var fabric = RegionTestHost.Unique("fabric");
        var vlan = await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                WITH f AS (INSERT INTO fabric (name) VALUES (@fabric) RETURNING id)
                INSERT INTO vlan (fabric_id, vid, dhcp_on, primary_rack_id, secondary_rack_id) SELECT id, 0, @dhcpOn, @primary, @secondary FROM f RETURNING id
                """,
                new { fabric, dhcpOn, primary, secondary },
                tx)),
            default);
        return (vlan, fabric);
    }

    private Task<(bool DhcpOn, long? Primary, long? Secondary)> VlanStateAsync(long id) =>
        host.Database.ReadAsync(
            c => c.QuerySingleAsync<(bool, long?, long?)>("SELECT dhcp_on, primary_rack_id, secondary_rack_id FROM vlan WHERE id = @id", new { id }),
            default);

    private Task<int?> NodeTypeAsync(long id) =>
        host.Database.ReadAsync(c => c.ExecuteScalarAsync<int?>("SELECT node_type FROM node WHERE id = @id", new { id }), default);

    private static List<string> SystemIds(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("system_id").GetString()!)];
}

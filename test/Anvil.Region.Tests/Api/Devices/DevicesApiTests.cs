using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Devices;

/// <summary>devices/ and devices/{system_id}/: the device object, ownership and the per-device actions.</summary>
public sealed class DevicesApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private static readonly string[] DeviceFields =
    [
        "system_id", "hostname", "description", "domain", "fqdn", "owner", "owner_data", "parent", "tag_names", "address_ttl",
        "ip_addresses", "interface_set", "zone", "node_type", "node_type_name", "workload_annotations", "resource_uri",
    ];

    private static int s_mac;

    [Fact]
    public async Task Create_makes_a_device_owned_by_its_creator_with_an_interface_per_mac_and_its_parent()
    {
        var user = await host.CreateUserAsync();
        var parent = await host.CreateNodeAsync();
        var hostname = RegionTestHost.Unique("cam");
        var macs = new[] { NewMac(), NewMac() };

        var device = await (await user.Client.PostAsync(
                "devices/", ("hostname", hostname), ("mac_addresses", macs[0]), ("mac_addresses", macs[1]), ("description", "lobby"), ("parent", parent.SystemId)))
            .ShouldBeJsonAsync();

        device.EnumerateObject().Select(p => p.Name).ShouldBe(DeviceFields);
        var systemId = device.GetProperty("system_id").GetString()!;
        device.GetProperty("hostname").GetString().ShouldBe(hostname);
        device.GetProperty("fqdn").GetString().ShouldBe($"{hostname}.maas");
        device.GetProperty("owner").GetString().ShouldBe(user.Username);
        device.GetProperty("parent").GetString().ShouldBe(parent.SystemId);
        device.GetProperty("description").GetString().ShouldBe("lobby");
        device.GetProperty("node_type").GetInt32().ShouldBe(1);
        device.GetProperty("node_type_name").GetString().ShouldBe("Device");
        device.GetProperty("zone").GetProperty("name").GetString().ShouldBe("default");
        device.GetProperty("domain").GetProperty("name").GetString().ShouldBe("maas");
        device.GetProperty("interface_set").EnumerateArray().Select(i => (i.GetProperty("name").GetString(), i.GetProperty("mac_address").GetString()))
            .ShouldBe([("eth0", macs[0]), ("eth1", macs[1])]);
        device.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/devices/{systemId}/");
    }

    [Fact]
    public async Task Create_without_macs_or_with_an_unknown_parent_is_a_field_error()
    {
        var user = await host.CreateUserAsync();

        var noMacs = await (await user.Client.PostAsync("devices/", ("hostname", RegionTestHost.Unique("d")))).ShouldBeFieldErrorsAsync();
        var badParent = await (await user.Client.PostAsync("devices/", ("mac_addresses", NewMac()), ("parent", "nosuch"))).ShouldBeFieldErrorsAsync();

        noMacs.Keys.ShouldBe(["mac_addresses"]);
        badParent.Keys.ShouldBe(["parent"]);
    }

    [Fact]
    public async Task The_listing_holds_devices_only_and_reading_a_machine_as_a_device_is_404()
    {
        var user = await host.CreateUserAsync();
        var machine = await host.CreateNodeAsync();
        var systemId = await CreateDeviceAsync(user);

        var listed = await (await user.Client.GetAsync("devices/")).ShouldBeJsonAsync();

        var ids = listed.EnumerateArray().Select(d => d.GetProperty("system_id").GetString()).ToList();
        ids.ShouldContain(systemId);
        ids.ShouldNotContain(machine.SystemId);
        listed.EnumerateArray().ShouldAllBe(d => d.GetProperty("node_type").GetInt32() == 1);
        await (await user.Client.GetAsync($"devices/{machine.SystemId}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_listing_filters_like_nodes()
    {
        var user = await host.CreateUserAsync();
        var wanted = await CreateDeviceAsync(user);
        await CreateDeviceAsync(user);

        var hostname = (await (await user.Client.GetAsync($"devices/{wanted}/")).ShouldBeJsonAsync()).GetProperty("hostname").GetString()!;
        var listed = await (await user.Client.GetAsync("devices/", ("hostname", hostname))).ShouldBeJsonAsync();

        listed.EnumerateArray().Select(d => d.GetProperty("system_id").GetString()).ShouldBe([wanted]);
    }

    [Fact]
    public async Task The_owner_updates_hostname_description_parent_and_zone_and_clears_the_parent()
    {
        var owner = await host.CreateUserAsync();
        var parent = await host.CreateNodeAsync();
        var systemId = await CreateDeviceAsync(owner);
        var hostname = RegionTestHost.Unique("renamed");

        var updated = await (await owner.Client.PutAsync(
                $"devices/{systemId}/", ("hostname", hostname), ("description", "moved"), ("parent", parent.SystemId), ("zone", "default")))
            .ShouldBeJsonAsync();
        var cleared = await (await owner.Client.PutAsync($"devices/{systemId}/", ("parent", ""))).ShouldBeJsonAsync();

        updated.GetProperty("hostname").GetString().ShouldBe(hostname);
        updated.GetProperty("description").GetString().ShouldBe("moved");
        updated.GetProperty("parent").GetString().ShouldBe(parent.SystemId);
        cleared.GetProperty("parent").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Another_user_may_read_but_not_update_or_delete_and_an_admin_may()
    {
        var owner = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await CreateDeviceAsync(owner);

        await (await other.Client.GetAsync($"devices/{systemId}/")).ShouldBeJsonAsync();
        await (await other.Client.PutAsync($"devices/{systemId}/", ("description", "mine"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await other.Client.DeleteAsync($"devices/{systemId}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        (await (await admin.Client.PutAsync($"devices/{systemId}/", ("description", "audited"))).ShouldBeJsonAsync())
            .GetProperty("description").GetString().ShouldBe("audited");
        await (await admin.Client.DeleteAsync($"devices/{systemId}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        await (await owner.Client.GetAsync($"devices/{systemId}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Is_registered_knows_a_devices_mac()
    {
        var user = await host.CreateUserAsync();
        var mac = NewMac();
        await CreateDeviceAsync(user, mac);

        (await (await user.Client.GetOpAsync("devices/", "is_registered", ("mac_address", mac))).ShouldBeJsonAsync()).GetBoolean().ShouldBeTrue();
        (await (await user.Client.GetOpAsync("devices/", "is_registered", ("mac_address", NewMac()))).ShouldBeJsonAsync()).GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Set_zone_moves_devices_for_an_admin()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var zone = RegionTestHost.Unique("zone");
        await (await admin.Client.PostAsync("zones/", ("name", zone))).ShouldBeJsonAsync();
        var systemId = await CreateDeviceAsync(admin);

        await (await admin.Client.PostOpAsync("devices/", "set_zone", ("zone", zone), ("nodes", systemId))).ShouldBeTextAsync(HttpStatusCode.OK);

        (await (await admin.Client.GetAsync($"devices/{systemId}/")).ShouldBeJsonAsync()).GetProperty("zone").GetProperty("name").GetString().ShouldBe(zone);
    }

    [Fact]
    public async Task Set_workload_annotations_sets_and_deletes_keys_for_the_owner()
    {
        var owner = await host.CreateUserAsync();
        var systemId = await CreateDeviceAsync(owner);

        await (await owner.Client.PostOpAsync($"devices/{systemId}/", "set_workload_annotations", ("env", "prod"), ("team", "ops"))).ShouldBeJsonAsync();
        var device = await (await owner.Client.PostOpAsync($"devices/{systemId}/", "set_workload_annotations", ("team", ""))).ShouldBeJsonAsync();

        device.GetProperty("workload_annotations").GetRawText().ShouldBe("""{"env": "prod"}""");
        device.GetProperty("owner_data").GetRawText().ShouldBe("""{"env": "prod"}""");
    }

    [Fact]
    public async Task Restore_networking_configuration_removes_assigned_addresses_and_virtual_interfaces()
    {
        var owner = await host.CreateUserAsync();
        var systemId = await CreateDeviceAsync(owner);
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                """
                WITH n AS (SELECT id FROM node WHERE system_id = @systemId),
                     p AS (SELECT i.id FROM interface i JOIN n ON n.id = i.node_id WHERE i.name = 'eth0'),
                     b AS (INSERT INTO interface (node_id, name, type) SELECT id, 'br0', 'bridge' FROM n RETURNING id),
                     a AS (INSERT INTO staticipaddress (ip, alloc_type) VALUES ('198.51.100.9', 1) RETURNING id)
                INSERT INTO interface_ip SELECT p.id, a.id FROM p, a
                """,
                new { systemId },
                tx)),
            default);
        var before = await (await owner.Client.GetAsync($"devices/{systemId}/")).ShouldBeJsonAsync();
        before.GetProperty("ip_addresses").EnumerateArray().Select(a => a.GetString()).ShouldBe(["198.51.100.9"]);

        var after = await (await owner.Client.PostOpAsync($"devices/{systemId}/", "restore_networking_configuration")).ShouldBeJsonAsync();

        after.GetProperty("ip_addresses").GetArrayLength().ShouldBe(0);
        after.GetProperty("interface_set").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ShouldBe(["eth0"]);
    }

    [Fact]
    public async Task Power_parameters_are_for_admins_and_details_are_bson()
    {
        var owner = await host.CreateUserAsync();
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await CreateDeviceAsync(owner);

        await (await owner.Client.GetOpAsync($"devices/{systemId}/", "power_parameters")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        (await (await admin.Client.GetOpAsync($"devices/{systemId}/", "power_parameters")).ShouldBeJsonAsync()).ValueKind.ShouldBe(JsonValueKind.Object);
        var details = await owner.Client.GetOpAsync($"devices/{systemId}/", "details");
        details.StatusCode.ShouldBe(HttpStatusCode.OK);
        details.Content.Headers.ContentType!.MediaType.ShouldBe("application/bson");
    }

    [Fact]
    public async Task The_tags_devices_op_renders_device_objects()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await CreateDeviceAsync(admin);
        var tag = RegionTestHost.Unique("tag");
        await (await admin.Client.PostAsync("tags/", ("name", tag))).ShouldBeJsonAsync();
        await (await admin.Client.PostOpAsync($"tags/{tag}/", "update_nodes", ("add", systemId))).ShouldBeJsonAsync();

        var devices = await (await admin.Client.GetOpAsync($"tags/{tag}/", "devices")).ShouldBeJsonAsync();

        var device = devices.EnumerateArray().ShouldHaveSingleItem();
        device.EnumerateObject().Select(p => p.Name).ShouldBe(DeviceFields);
        device.GetProperty("tag_names").EnumerateArray().Select(t => t.GetString()).ShouldBe([tag]);
    }

    private static async Task<string> CreateDeviceAsync(TestUser user, string? mac = null)
    {
        var device = await (await user.Client.PostAsync("devices/", ("mac_addresses", mac ?? NewMac()))).ShouldBeJsonAsync();
        return device.GetProperty("system_id").GetString()!;
    }

    private static string NewMac()
    {
        var n = Interlocked.Increment(ref s_mac) + (Environment.ProcessId % 1000 * 100000);
        return $"02:de:{(n >> 24) & 0xff:x2}:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}";
    }
}

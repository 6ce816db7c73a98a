using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>GET machines/{id}/, GET machines/ with filters, PUT and DELETE.</summary>
public sealed class MachinesReadUpdateDeleteTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private const JsonValueKind Str = JsonValueKind.String;
    private const JsonValueKind Num = JsonValueKind.Number;
    private const JsonValueKind Obj = JsonValueKind.Object;
    private const JsonValueKind Arr = JsonValueKind.Array;
    private const JsonValueKind Null = JsonValueKind.Null;
    private const JsonValueKind True = JsonValueKind.True;
    private const JsonValueKind False = JsonValueKind.False;

    /// <summary>maas-api.md §4: every field of a machine and the JSON kinds it may have.</summary>
    private static readonly Dictionary<string, JsonValueKind[]> MachineFields = new(StringComparer.Ordinal)
    {
        ["system_id"] = [Str],
        ["hostname"] = [Str],
        ["description"] = [Str],
        ["hardware_uuid"] = [Str, Null],
        ["domain"] = [Obj],
        ["fqdn"] = [Str],
        ["owner"] = [Str, Null],
        ["owner_data"] = [Obj],
        ["workload_annotations"] = [Obj],
        ["locked"] = [True, False],
        ["cache_sets"] = [Arr],
        ["bcaches"] = [Arr],
        ["volume_groups"] = [Arr],
        ["raids"] = [Arr],
        ["bios_boot_method"] = [Str, Null],
        ["boot_interface"] = [Obj],
        ["architecture"] = [Str],
        ["min_hwe_kernel"] = [Str, Null],
        ["hwe_kernel"] = [Str, Null],
        ["cpu_count"] = [Num],
        ["cpu_speed"] = [Num],
        ["memory"] = [Num],
        ["swap_size"] = [Num, Null],
        ["storage"] = [Num],
        ["status"] = [Num],
        ["status_name"] = [Str],
        ["status_message"] = [Str, Null],
        ["status_action"] = [Str, Null],
        ["osystem"] = [Str],
        ["distro_series"] = [Str],
        ["ephemeral_deploy"] = [True, False],
        ["error_description"] = [Str],
        ["netboot"] = [True, False],
        ["power_type"] = [Str],
        ["power_state"] = [Str],
        ["tag_names"] = [Arr],
        ["address_ttl"] = [Num, Null],
        ["ip_addresses"] = [Arr],
        ["interface_set"] = [Arr],
        ["zone"] = [Obj],
        ["pool"] = [Obj],
        ["disable_ipv4"] = [True, False],
        ["boot_disk"] = [Obj, Null],
        ["blockdevice_set"] = [Arr],
        ["physicalblockdevice_set"] = [Arr],
        ["virtualblockdevice_set"] = [Arr],
        ["special_filesystems"] = [Arr],
        ["node_type"] = [Num],
        ["node_type_name"] = [Str],
        ["parent"] = [Obj, Null],
        ["default_gateways"] = [Obj],
        ["current_commissioning_result_id"] = [Num, Null],
        ["current_testing_result_id"] = [Num, Null],
        ["current_installation_result_id"] = [Num, Null],
        ["commissioning_status"] = [Num],
        ["commissioning_status_name"] = [Str],
        ["testing_status"] = [Num],
        ["testing_status_name"] = [Str],
        ["cpu_test_status"] = [Num],
        ["cpu_test_status_name"] = [Str],
        ["memory_test_status"] = [Num],
        ["memory_test_status_name"] = [Str],
        ["network_test_status"] = [Num],
        ["network_test_status_name"] = [Str],
        ["storage_test_status"] = [Num],
        ["storage_test_status_name"] = [Str],
        ["other_test_status"] = [Num],
        ["other_test_status_name"] = [Str],
        ["interface_test_status"] = [Num],
        ["interface_test_status_name"] = [Str],
        ["hardware_info"] = [Obj],
        ["numanode_set"] = [Arr],
        ["last_sync"] = [Str, Null],
        ["next_sync"] = [Str, Null],
        ["sync_interval"] = [Num, Null],
        ["enable_hw_sync"] = [True, False],
        ["enable_kernel_crash_dump"] = [True, False],
        ["is_dpu"] = [True, False],
        ["resource_uri"] = [Str],
    };

    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Read_has_every_machine_field_with_its_json_type_and_nothing_else()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin, cpuCount: 4, memoryMiB: 8192);
        await _machines.AddDiskAsync(systemId, "sda", 500_000_000_000, bootDisk: true, "ssd");
        await _machines.TagAsync(systemId, "fast");

        var machine = await (await user.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();

        machine.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ShouldBe(MachineFields.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, kinds) in MachineFields)
            kinds.ShouldContain(machine.GetProperty(name).ValueKind, $"field {name}");
        machine.GetProperty("storage").GetDouble().ShouldBe(500_000.0);
        machine.GetProperty("cpu_count").GetInt32().ShouldBe(4);
        machine.GetProperty("memory").GetInt32().ShouldBe(8192);
        machine.GetProperty("tag_names").EnumerateArray().Select(t => t.GetString()).ShouldBe(["fast"]);
        machine.GetProperty("boot_disk").GetProperty("name").GetString().ShouldBe("sda");
        machine.GetProperty("boot_disk").GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["ssd"]);
        machine.GetProperty("node_type_name").GetString().ShouldBe("Machine");
        machine.GetProperty("domain").EnumerateObject().Select(p => p.Name).Order()
            .ShouldBe(["authoritative", "id", "is_default", "name", "resource_record_count", "resource_uri", "ttl"]);
        machine.GetProperty("zone").EnumerateObject().Select(p => p.Name).Order().ShouldBe(["description", "id", "name", "resource_uri"]);
        machine.GetProperty("pool").EnumerateObject().Select(p => p.Name).Order().ShouldBe(["description", "id", "name", "resource_uri"]);
        machine.GetProperty("hardware_info").EnumerateObject().Count().ShouldBe(18);
    }

    [Fact]
    public async Task Read_of_an_unknown_machine_is_404_text()
    {
        var user = await host.CreateUserAsync();

        (await (await user.Client.GetAsync("machines/zzzzzz/")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("No Machine matches the given query.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Nodes_that_are_not_machines_are_not_found_under_machines(int nodeType)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var node = await host.CreateNodeAsync(ownerId: admin.Id, nodeType: nodeType);

        await (await admin.Client.GetAsync($"machines/{node.SystemId}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PutAsync($"machines/{node.SystemId}/", ("description", "x"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PostOpAsync($"machines/{node.SystemId}/", "mark_broken")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.GetOpAsync($"machines/{node.SystemId}/", "power_parameters")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync($"machines/{node.SystemId}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await (await admin.Client.PostOpAsync("machines/", "release", ("machines", node.SystemId))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["machines"]);
        (await ListAsync(admin, ("id", node.SystemId))).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_returns_machines_ordered_by_id_with_the_same_fields_as_read()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var first = await MachineSetup.CreateNewAsync(admin);
        var second = await MachineSetup.CreateNewAsync(admin);

        var list = await (await admin.Client.GetAsync("machines/")).ShouldBeJsonAsync();

        var ids = list.EnumerateArray().Select(m => m.GetProperty("system_id").GetString()).ToList();
        ids.IndexOf(first).ShouldBeLessThan(ids.IndexOf(second));
        ids.IndexOf(first).ShouldBeGreaterThanOrEqualTo(0);
        list.EnumerateArray().First().EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ShouldBe(MachineFields.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task List_filters_by_status_id_and_hostname()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fresh = await MachineSetup.CreateNewAsync(admin);
        var ready = await _machines.CreateReadyAsync(admin);
        var hostname = RegionTestHost.Unique("named");
        var named = await MachineSetup.CreateNewAsync(admin, ("hostname", hostname));
        string[] mine = [fresh, ready, named];

        (await ListAsync(admin, ("status", "ready"))).Intersect(mine).ShouldBe([ready]);
        (await ListAsync(admin, ("status", "new"))).Intersect(mine).Order().ShouldBe(new[] { fresh, named }.Order());
        (await ListAsync(admin, ("id", fresh), ("id", ready))).Order().ShouldBe(new[] { fresh, ready }.Order());
        (await ListAsync(admin, ("hostname", hostname))).ShouldBe([named]);
    }

    [Fact]
    public async Task List_filters_by_tags_zone_pool_cpu_count_and_memory()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var zone = await _machines.NewZoneAsync();
        var pool = await _machines.NewPoolAsync();
        var small = await _machines.CreateReadyAsync(admin, cpuCount: 2, memoryMiB: 2048, zone: zone, pool: pool);
        var big = await _machines.CreateReadyAsync(admin, cpuCount: 16, memoryMiB: 65536, zone: zone, pool: pool);
        var elsewhere = await _machines.CreateReadyAsync(admin, cpuCount: 16, memoryMiB: 65536);
        var tag = RegionTestHost.Unique("tag");
        await _machines.TagAsync(big, tag);
        await _machines.TagAsync(elsewhere, tag);

        (await ListAsync(admin, ("zone", zone))).Order().ShouldBe(new[] { small, big }.Order());
        (await ListAsync(admin, ("pool", pool))).Order().ShouldBe(new[] { small, big }.Order());
        (await ListAsync(admin, ("tags", tag))).Order().ShouldBe(new[] { big, elsewhere }.Order());
        (await ListAsync(admin, ("zone", zone), ("cpu_count", "8"))).ShouldBe([big]);
        (await ListAsync(admin, ("pool", pool), ("mem", "4096"))).ShouldBe([big]);
        (await ListAsync(admin, ("zone", zone), ("tags", tag))).ShouldBe([big]);
    }

    [Fact]
    public async Task List_with_bad_filters_is_a_400_dict_naming_each()
    {
        var user = await host.CreateUserAsync();

        var errors = await (await user.Client.GetAsync("machines/", ("cpu_count", "many"), ("zone", "no-such-zone"), ("frobnicate", "1"))).ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["cpu_count", "frobnicate", "zone"]);
        errors["frobnicate"].ShouldBe(["No such constraint."]);
    }

    [Fact]
    public async Task Update_by_an_admin_changes_the_fields_and_records_an_audit_event()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await MachineSetup.CreateNewAsync(admin);
        var zone = await _machines.NewZoneAsync();
        var pool = await _machines.NewPoolAsync();
        var hostname = RegionTestHost.Unique("renamed");

        var machine = await (await admin.Client.PutAsync(
            $"machines/{systemId}/",
            ("hostname", hostname),
            ("description", "moved"),
            ("architecture", "arm64/generic"),
            ("min_hwe_kernel", "hwe-24.04"),
            ("zone", zone),
            ("pool", pool),
            ("cpu_count", "12"),
            ("memory", "32768"),
            ("swap_size", "1048576"),
            ("power_parameters_power_address", "10.0.0.9"))).ShouldBeJsonAsync();

        machine.GetProperty("hostname").GetString().ShouldBe(hostname);
        machine.GetProperty("description").GetString().ShouldBe("moved");
        machine.GetProperty("architecture").GetString().ShouldBe("arm64/generic");
        machine.GetProperty("min_hwe_kernel").GetString().ShouldBe("hwe-24.04");
        machine.GetProperty("zone").GetProperty("name").GetString().ShouldBe(zone);
        machine.GetProperty("pool").GetProperty("name").GetString().ShouldBe(pool);
        machine.GetProperty("cpu_count").GetInt32().ShouldBe(12);
        machine.GetProperty("memory").GetInt32().ShouldBe(32768);
        machine.GetProperty("swap_size").GetInt64().ShouldBe(1048576);
        var parameters = await (await admin.Client.GetOpAsync($"machines/{systemId}/", "power_parameters")).ShouldBeJsonAsync();
        parameters.GetProperty("power_address").GetString().ShouldBe("10.0.0.9");
        await _machines.ShouldBeAuditedAsync(admin, systemId, "update");
    }

    [Fact]
    public async Task Update_with_bad_fields_is_a_400_dict_and_changes_nothing()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var taken = RegionTestHost.Unique("taken");
        await MachineSetup.CreateNewAsync(admin, ("hostname", taken));
        var systemId = await MachineSetup.CreateNewAsync(admin, ("description", "before"));

        var errors = await (await admin.Client.PutAsync(
            $"machines/{systemId}/", ("description", "after"), ("zone", "no-such-zone"), ("power_type", "carrier-pigeon"), ("min_hwe_kernel", "linux-6"))).ShouldBeFieldErrorsAsync();
        var hostnameErrors = await (await admin.Client.PutAsync($"machines/{systemId}/", ("hostname", taken))).ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["min_hwe_kernel", "power_type", "zone"]);
        hostnameErrors.Keys.ShouldBe(["hostname"]);
        (await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync()).GetProperty("description").GetString().ShouldBe("before");
    }

    [Fact]
    public async Task Update_by_a_non_admin_is_forbidden_even_for_the_owner()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);

        await (await user.Client.PutAsync($"machines/{systemId}/", ("description", "mine"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await (await user.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync()).GetProperty("description").GetString().ShouldBe("");
    }

    [Fact]
    public async Task Delete_by_an_admin_is_204_then_the_machine_is_gone_and_the_deletion_audited()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await MachineSetup.CreateNewAsync(admin);

        var response = await admin.Client.DeleteAsync($"machines/{systemId}/");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync($"machines/{systemId}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        await _machines.ShouldBeAuditedAsync(admin, systemId, "delete");
    }

    [Fact]
    public async Task Delete_by_a_non_admin_is_forbidden_and_keeps_the_machine()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await MachineSetup.CreateNewAsync(user);

        await (await user.Client.DeleteAsync($"machines/{systemId}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();
    }

    private static async Task<List<string>> ListAsync(TestUser viewer, params (string, string)[] filters) =>
        (await (await viewer.Client.GetAsync("machines/", filters)).ShouldBeJsonAsync())
            .EnumerateArray().Select(m => m.GetProperty("system_id").GetString()!).ToList();
}

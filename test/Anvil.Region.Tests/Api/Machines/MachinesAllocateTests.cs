using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>
/// POST machines/?op=allocate. Each test puts its machines in a pool of its own and asks for
/// that pool, so machines of other tests never match.
/// </summary>
public sealed class MachinesAllocateTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private const long GB = 1000L * 1000 * 1000;

    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Allocate_gives_the_caller_the_cheapest_ready_machine_and_records_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        await _machines.CreateReadyAsync(admin, cpuCount: 8, memoryMiB: 16384, pool: pool);
        var cheapest = await _machines.CreateReadyAsync(admin, cpuCount: 2, memoryMiB: 4096, pool: pool);

        var machine = await (await Allocate(user, ("pool", pool), ("agent_name", "juju"), ("comment", "for ci"))).ShouldBeJsonAsync();

        machine.GetProperty("system_id").GetString().ShouldBe(cheapest);
        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.ALLOCATED);
        machine.GetProperty("owner").GetString().ShouldBe(user.Username);
        machine.GetProperty("constraints_by_type").ValueKind.ShouldBe(JsonValueKind.Object);
        var row = await _machines.RowAsync(cheapest);
        row.NodeStatus.ShouldBe(NodeStatus.ALLOCATED);
        row.OwnerId.ShouldBe(user.Id);
        await _machines.ShouldBeAuditedAsync(user, cheapest, "acquire");
        await MachineSetup.ShouldHaveStatusChangesAsync(user, cheapest, "Ready -> Allocated");
        (await MachineSetup.EventsAsync(user, cheapest, "DEBUG")).ShouldContain(e => e.Type == "User acquiring node" && e.Description == "for ci");
    }

    [Fact]
    public async Task Allocate_matches_cpu_count_and_memory_as_minimums()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        await _machines.CreateReadyAsync(admin, cpuCount: 2, memoryMiB: 65536, pool: pool);
        await _machines.CreateReadyAsync(admin, cpuCount: 16, memoryMiB: 2048, pool: pool);
        var both = await _machines.CreateReadyAsync(admin, cpuCount: 16, memoryMiB: 65536, pool: pool);

        var machine = await (await Allocate(user, ("pool", pool), ("cpu_count", "8"), ("mem", "32768"))).ShouldBeJsonAsync();

        machine.GetProperty("system_id").GetString().ShouldBe(both);
    }

    [Fact]
    public async Task Allocate_matches_all_the_given_tags()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        var gpu = RegionTestHost.Unique("gpu");
        var nvme = RegionTestHost.Unique("nvme");
        var onlyGpu = await _machines.CreateReadyAsync(admin, pool: pool);
        await _machines.TagAsync(onlyGpu, gpu);
        var bothTags = await _machines.CreateReadyAsync(admin, cpuCount: 4, pool: pool);
        await _machines.TagAsync(bothTags, gpu);
        await _machines.TagAsync(bothTags, nvme);

        var machine = await (await Allocate(user, ("pool", pool), ("tags", gpu), ("tags", nvme))).ShouldBeJsonAsync();

        machine.GetProperty("system_id").GetString().ShouldBe(bothTags);
        machine.GetProperty("tag_names").EnumerateArray().Select(t => t.GetString()).Order().ShouldBe(new[] { gpu, nvme }.Order());
    }

    [Fact]
    public async Task Allocate_matches_the_zone()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        var zone = await _machines.NewZoneAsync();
        await _machines.CreateReadyAsync(admin, pool: pool);
        var inZone = await _machines.CreateReadyAsync(admin, cpuCount: 4, zone: zone, pool: pool);

        var machine = await (await Allocate(user, ("pool", pool), ("zone", zone))).ShouldBeJsonAsync();

        machine.GetProperty("system_id").GetString().ShouldBe(inZone);
        machine.GetProperty("zone").GetProperty("name").GetString().ShouldBe(zone);
    }

    [Fact]
    public async Task Allocate_with_storage_constraints_reports_the_disk_each_label_got()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        var noSsd = await _machines.CreateReadyAsync(admin, pool: pool);
        await _machines.AddDiskAsync(noSsd, "sda", 500 * GB, bootDisk: true);
        await _machines.AddDiskAsync(noSsd, "sdb", 500 * GB);
        var fitting = await _machines.CreateReadyAsync(admin, cpuCount: 4, pool: pool);
        var root = await _machines.AddDiskAsync(fitting, "sda", 120 * GB, bootDisk: true, "ssd");
        var data = await _machines.AddDiskAsync(fitting, "sdb", 250 * GB);

        var machine = await (await Allocate(user, ("pool", pool), ("storage", "root:100(ssd),data:200"))).ShouldBeJsonAsync();

        machine.GetProperty("system_id").GetString().ShouldBe(fitting);
        var storage = machine.GetProperty("constraints_by_type").GetProperty("storage");
        storage.GetProperty("root").EnumerateArray().Select(e => e.GetInt64()).ShouldBe([root]);
        storage.GetProperty("data").EnumerateArray().Select(e => e.GetInt64()).ShouldBe([data]);
    }

    [Fact]
    public async Task Allocate_with_a_malformed_storage_constraint_is_a_field_error()
    {
        var user = await host.CreateUserAsync();

        var errors = await (await Allocate(user, ("storage", "root:big"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["storage"]);
    }

    [Fact]
    public async Task Allocate_with_interface_constraints_reports_the_interfaces_each_label_got()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        var systemId = await _machines.CreateReadyAsync(admin, pool: pool);
        var eth0 = (await _machines.InterfaceIdsAsync(systemId))[0];

        var machine = await (await Allocate(user, ("pool", pool), ("interfaces", "boot:name=eth0"))).ShouldBeJsonAsync();

        machine.GetProperty("system_id").GetString().ShouldBe(systemId);
        machine.GetProperty("constraints_by_type").GetProperty("interfaces").GetProperty("boot").EnumerateArray().Select(e => e.GetInt64()).ShouldBe([eth0]);
        await (await Allocate(user, ("pool", pool), ("interfaces", "boot:name=eth7"))).ShouldBeTextAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Allocate_verbose_adds_the_per_machine_maps()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        var systemId = await _machines.CreateReadyAsync(admin, pool: pool);
        await _machines.AddDiskAsync(systemId, "sda", 100 * GB, bootDisk: true);

        var machine = await (await Allocate(user, ("pool", pool), ("storage", "root:50"), ("interfaces", "net:name=eth0"), ("verbose", "true"))).ShouldBeJsonAsync();

        var byType = machine.GetProperty("constraints_by_type");
        byType.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["interfaces", "storage", "verbose_interfaces", "verbose_storage"]);
    }

    [Fact]
    public async Task Allocate_dry_run_returns_the_match_without_acquiring_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        var systemId = await _machines.CreateReadyAsync(admin, pool: pool);

        var machine = await (await Allocate(user, ("pool", pool), ("dry_run", "true"))).ShouldBeJsonAsync();

        machine.GetProperty("system_id").GetString().ShouldBe(systemId);
        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.READY);
        machine.GetProperty("constraints_by_type").ValueKind.ShouldBe(JsonValueKind.Object);
        var row = await _machines.RowAsync(systemId);
        row.NodeStatus.ShouldBe(NodeStatus.READY);
        row.OwnerId.ShouldBeNull();
        (await MachineSetup.EventsAsync(admin, systemId, "DEBUG")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Allocate_with_nothing_matching_is_409_with_maas_text()
    {
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();

        var message = await (await Allocate(user, ("pool", pool), ("cpu_count", "64"))).ShouldBeTextAsync(HttpStatusCode.Conflict);
        var bySystemId = await (await Allocate(user, ("system_id", "zzzzzz"))).ShouldBeTextAsync(HttpStatusCode.Conflict);

        message.ShouldBe($"No available machine matches constraints: [('pool', ['{pool}']), ('cpu_count', ['64'])] (resolved to \"cpu_count=64.0 pool={pool}\")");
        bySystemId.ShouldBe("No machine with system ID zzzzzz available.");
    }

    [Fact]
    public async Task Allocate_never_takes_machines_that_are_not_ready()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var pool = await _machines.NewPoolAsync();
        var owned = await _machines.CreateReadyAsync(admin, pool: pool);
        await _machines.SetStateAsync(owned, NodeStatus.ALLOCATED, admin.Id);
        var fresh = await _machines.CreateReadyAsync(admin, pool: pool);
        await _machines.SetStateAsync(fresh, NodeStatus.NEW, null);

        await (await Allocate(user, ("pool", pool))).ShouldBeTextAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Allocate_with_an_unknown_zone_pool_or_tag_is_a_400_dict()
    {
        var user = await host.CreateUserAsync();

        var errors = await (await Allocate(user, ("zone", "no-such-zone"), ("pool", "no-such-pool"), ("tags", "no-such-tag"))).ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["pool", "tags", "zone"]);
    }

    private static Task<HttpResponseMessage> Allocate(TestUser caller, params (string, string)[] constraints) =>
        caller.Client.PostOpAsync("machines/", "allocate", constraints);
}

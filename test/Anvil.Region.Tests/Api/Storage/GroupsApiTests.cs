using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;
using static Anvil.Region.Tests.Api.Storage.StorageSetup;

namespace Anvil.Region.Tests.Api.Storage;

public sealed class GroupsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly StorageSetup _setup = new(host);

    [Theory]
    [InlineData("raid-0", 2, 0, 20_000_000_000L - (2 * 131072))]
    [InlineData("raid-1", 2, 1, 10_000_000_000L - 131072)]
    [InlineData("raid-5", 3, 1, 20_000_000_000L - 131072)]
    [InlineData("raid-6", 4, 0, 20_000_000_000L - 131072)]
    [InlineData("raid-10", 4, 1, 20_000_000_000L - 131072)]
    public async Task Each_RAID_level_makes_an_md_device_of_the_levels_size(string level, int active, int spares, long size)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, [20 * GB, .. Enumerable.Repeat(10 * GB, active + spares)]);
        var members = disks.Skip(1).Take(active).Select(d => ("block_devices", Text(d)));
        var spareDisks = disks.Skip(1 + active).Select(d => ("spare_devices", Text(d)));

        var raid = await (await admin.Client.PostAsync($"nodes/{systemId}/raids/", [("level", level), .. members, .. spareDisks])).ShouldBeJsonAsync();

        raid.GetProperty("name").GetString().ShouldBe("md0");
        raid.GetProperty("level").GetString().ShouldBe(level);
        raid.GetProperty("size").GetInt64().ShouldBe(size);
        raid.GetProperty("devices").GetArrayLength().ShouldBe(active);
        raid.GetProperty("spare_devices").GetArrayLength().ShouldBe(spares);
        raid.GetProperty("virtual_device").GetProperty("size").GetInt64().ShouldBe(size);
        var member = await (await admin.Client.GetAsync(Device(systemId, disks[1]))).ShouldBeJsonAsync();
        member.GetProperty("used_for").GetString().ShouldBe($"Active {level} device for md0");
        (await MachineAsync(admin, systemId)).GetProperty("raids").GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [InlineData("raid-0", 1, "RAID level 0 must have at least 2 raid devices and no spares.")]
    [InlineData("raid-1", 1, "RAID level 1 must have at least 2 raid devices and any number of spares.")]
    [InlineData("raid-5", 2, "RAID level 5 must have at least 3 raid devices and any number of spares.")]
    [InlineData("raid-6", 3, "RAID level 6 must have at least 4 raid devices and any number of spares.")]
    [InlineData("raid-10", 2, "RAID level 10 must have at least 3 raid devices and any number of spares.")]
    public async Task Too_few_members_for_a_level_is_refused_and_nothing_is_created(string level, int active, string message)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, [.. Enumerable.Repeat(10 * GB, active)]);

        var errors = await (await admin.Client.PostAsync($"nodes/{systemId}/raids/", [("level", level), .. disks.Select(d => ("block_devices", Text(d)))])).ShouldBeFieldErrorsAsync();

        errors["__all__"].ShouldBe([message]);
        (await (await admin.Client.GetAsync($"nodes/{systemId}/raids/")).ShouldBeJsonAsync()).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_RAID_grows_with_a_new_member_and_deleting_it_frees_its_disks()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 10 * GB, 10 * GB, 10 * GB, 10 * GB);
        var raid = await (await admin.Client.PostAsync($"nodes/{systemId}/raids/", ("level", "raid-5"), ("block_devices", Text(disks[0])), ("block_devices", Text(disks[1])), ("block_devices", Text(disks[2])))).ShouldBeJsonAsync();
        var path = $"nodes/{systemId}/raid/{raid.GetProperty("id").GetInt64()}/";

        var grown = await (await admin.Client.PutAsync(path, ("add_block_devices", Text(disks[3])), ("name", "data"))).ShouldBeJsonAsync();
        grown.GetProperty("size").GetInt64().ShouldBe((30 * GB) - 131072);
        grown.GetProperty("virtual_device").GetProperty("name").GetString().ShouldBe("data");
        await (await admin.Client.DeleteAsync(path)).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        var disk = await (await admin.Client.GetAsync(Device(systemId, disks[0]))).ShouldBeJsonAsync();
        disk.GetProperty("used_for").GetString().ShouldBe("Unused");
        (await MachineAsync(admin, systemId)).GetProperty("virtualblockdevice_set").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_used_disk_cannot_join_a_group()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 10 * GB, 10 * GB);
        await CreatePartitionAsync(admin, systemId, disks[0]);

        var errors = await (await admin.Client.PostAsync($"nodes/{systemId}/raids/", ("level", "raid-1"), ("block_devices", Text(disks[0])), ("block_devices", Text(disks[1])))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["block_devices"]);
    }

    [Fact]
    public async Task Volume_groups_hold_logical_volumes_within_their_size()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB, 10 * GB);
        var partition = await CreatePartitionAsync(admin, systemId, disks[0], "8G");

        var vg = await (await admin.Client.PostAsync($"nodes/{systemId}/volume-groups/", ("name", "data"), ("block_devices", Text(disks[1])), ("partitions", Text(partition.GetProperty("id").GetInt64())))).ShouldBeJsonAsync();
        var path = $"nodes/{systemId}/volume-group/{vg.GetProperty("id").GetInt64()}/";
        vg.GetProperty("devices").GetArrayLength().ShouldBe(2);
        var size = vg.GetProperty("size").GetInt64();
        var lv = await (await admin.Client.PostOpAsync(path, "create_logical_volume", ("name", "lv0"), ("size", "5G"))).ShouldBeJsonAsync();
        lv.GetProperty("name").GetString().ShouldBe("data-lv0");
        var tooBig = await (await admin.Client.PostOpAsync(path, "create_logical_volume", ("name", "lv1"), ("size", "50G"))).ShouldBeFieldErrorsAsync();
        tooBig.Keys.ShouldBe(["size"]);
        var read = await (await admin.Client.GetAsync($"nodes/{systemId}/volume-groups/{vg.GetProperty("id").GetInt64()}/")).ShouldBeJsonAsync();
        read.GetProperty("available_size").GetInt64().ShouldBe(size - lv.GetProperty("size").GetInt64());
        (await (await admin.Client.DeleteAsync(path)).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldBe("This volume group has logical volumes; it cannot be deleted.");

        await (await admin.Client.PostOpAsync(path, "delete_logical_volume", ("id", Text(lv.GetProperty("id").GetInt64())))).ShouldBeJsonAsync();
        await (await admin.Client.DeleteAsync(path)).ShouldBeStatusAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Bcache_needs_a_cache_set_and_one_backing_volume_and_keeps_cache_sets_in_use()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB, 10 * GB);
        var cacheSet = await (await admin.Client.PostAsync($"nodes/{systemId}/bcache-cache-sets/", ("cache_device", Text(disks[1])))).ShouldBeJsonAsync();
        var cacheSetId = cacheSet.GetProperty("id").GetInt64();
        cacheSet.GetProperty("name").GetString().ShouldBe("cache0");

        var neither = await (await admin.Client.PostAsync($"nodes/{systemId}/bcaches/", ("cache_set", Text(cacheSetId)), ("cache_mode", "writeback"))).ShouldBeFieldErrorsAsync();
        neither["__all__"].ShouldBe(["Either backing_device or backing_partition must be specified."]);
        var badMode = await (await admin.Client.PostAsync($"nodes/{systemId}/bcaches/", ("cache_set", Text(cacheSetId)), ("backing_device", Text(disks[0])), ("cache_mode", "fast"))).ShouldBeFieldErrorsAsync();
        badMode.Keys.ShouldBe(["cache_mode"]);
        var bcache = await (await admin.Client.PostAsync($"nodes/{systemId}/bcaches/", ("cache_set", Text(cacheSetId)), ("backing_device", Text(disks[0])), ("cache_mode", "writearound"))).ShouldBeJsonAsync();

        bcache.GetProperty("name").GetString().ShouldBe("bcache0");
        bcache.GetProperty("size").GetInt64().ShouldBe(20 * GB);
        (await (await admin.Client.DeleteAsync($"nodes/{systemId}/bcache-cache-set/{cacheSetId}/")).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Cannot delete cache set; it's currently in use.");
        await (await admin.Client.DeleteAsync($"nodes/{systemId}/bcache/{bcache.GetProperty("id").GetInt64()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        await (await admin.Client.DeleteAsync($"nodes/{systemId}/bcache-cache-set/{cacheSetId}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Only_admins_change_groups_and_only_on_Ready_machines()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 10 * GB, 10 * GB);
        (string, string)[] form = [("level", "raid-1"), ("block_devices", Text(disks[0])), ("block_devices", Text(disks[1]))];

        await (await user.Client.PostAsync($"nodes/{systemId}/raids/", form)).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostAsync($"nodes/{systemId}/volume-groups/", ("name", "vg"), ("block_devices", Text(disks[0])))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await _setup.SetStatusAsync(systemId, Domain.Machines.NodeStatus.ALLOCATED, user.Id);
        (await (await admin.Client.PostAsync($"nodes/{systemId}/raids/", form)).ShouldBeTextAsync(HttpStatusCode.Conflict)).ShouldBe("Cannot create RAID because the node is not Ready.");
        (await (await user.Client.GetAsync($"nodes/{systemId}/raids/")).ShouldBeJsonAsync()).GetArrayLength().ShouldBe(0);
    }
}

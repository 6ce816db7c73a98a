using System.Net;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;
using static Anvil.Region.Tests.Api.Storage.StorageSetup;

namespace Anvil.Region.Tests.Api.Storage;

public sealed class StorageLayoutApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly StorageSetup _setup = new(host);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flat_gives_the_machine_a_root_partition_and_on_UEFI_an_EFI_partition(bool uefi)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin, 20 * GB);
        if (uefi)
            await _setup.SetUefiAsync(systemId);

        var machine = await SetLayoutAsync(admin, systemId, "flat");

        var partitions = machine.GetProperty("boot_disk").GetProperty("partitions");
        partitions.GetArrayLength().ShouldBe(uefi ? 2 : 1);
        if (uefi)
            ShouldBeMountedAt(partitions[0], "fat32", "/boot/efi");
        ShouldBeMountedAt(partitions[partitions.GetArrayLength() - 1], "ext4", "/");
        machine.GetProperty("volume_groups").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Lvm_shows_the_volume_group_stub_and_the_logical_volume_as_a_virtual_device()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        var machine = await SetLayoutAsync(admin, systemId, "lvm", ("vg_name", "sys"), ("lv_size", "8G"));

        var stub = machine.GetProperty("volume_groups").EnumerateArray().ShouldHaveSingleItem();
        stub.GetProperty("__incomplete__").GetBoolean().ShouldBeTrue();
        var lv = machine.GetProperty("virtualblockdevice_set").EnumerateArray().ShouldHaveSingleItem();
        lv.GetProperty("name").GetString().ShouldBe("sys-lvroot");
        lv.GetProperty("type").GetString().ShouldBe("virtual");
        ShouldBeMountedAt(lv, "ext4", "/");
        machine.GetProperty("blockdevice_set").GetArrayLength().ShouldBe(2);
        machine.GetProperty("physicalblockdevice_set").GetArrayLength().ShouldBe(1);
        var vg = await (await admin.Client.GetAsync($"nodes/{systemId}/volume-group/{stub.GetProperty("id").GetInt64()}/")).ShouldBeJsonAsync();
        vg.GetProperty("name").GetString().ShouldBe("sys");
        vg.GetProperty("logical_volumes").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Bcache_caches_root_on_the_ssd_and_lists_the_cache_set()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 50 * GB, 10 * GB);
        await _setup.TagDiskAsync(disks[1], "ssd");

        var machine = await SetLayoutAsync(admin, systemId, "bcache", ("cache_mode", "writeback"));

        machine.GetProperty("cache_sets").GetArrayLength().ShouldBe(1);
        var bcaches = await (await admin.Client.GetAsync($"nodes/{systemId}/bcaches/")).ShouldBeJsonAsync();
        var bcache = bcaches.EnumerateArray().ShouldHaveSingleItem();
        bcache.GetProperty("cache_mode").GetString().ShouldBe("writeback");
        bcache.GetProperty("cache_set").GetProperty("cache_device").GetProperty("device_id").GetInt64().ShouldBe(disks[1]);
        ShouldBeMountedAt(bcache.GetProperty("virtual_device"), "ext4", "/");
    }

    [Fact]
    public async Task Blank_clears_a_previous_layout()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);
        await SetLayoutAsync(admin, systemId, "lvm");

        var machine = await SetLayoutAsync(admin, systemId, "blank");

        machine.GetProperty("virtualblockdevice_set").GetArrayLength().ShouldBe(0);
        machine.GetProperty("volume_groups").GetArrayLength().ShouldBe(0);
        machine.GetProperty("boot_disk").GetProperty("partitions").GetArrayLength().ShouldBe(0);
        (await _setup.PartitionedBytesAsync(disks[0])).ShouldBe(0);
    }

    [Fact]
    public async Task Refusals_carry_MAAS_status_and_text()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var (systemId, _) = await _setup.ReadyMachineAsync(admin, 20 * GB);
        var (bare, _) = await _setup.ReadyMachineAsync(admin);
        async Task<HttpResponseMessage> Set(TestUser who, string id, params (string, string)[] fields) =>
            await who.Client.PostOpAsync($"machines/{id}/", "set_storage_layout", fields);

        (await (await Set(admin, bare, ("storage_layout", "flat"))).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Machine is missing a boot disk; no storage layout can be applied.");
        (await (await Set(admin, systemId, ("storage_layout", "flat"), ("root_size", "1G"))).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldStartWith("Failed to configure storage layout 'flat': root_size: Size is too small.");
        (await (await Set(admin, systemId, ("storage_layout", "vmfs6"))).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldContain("not supported");
        (await (await Set(admin, systemId, ("storage_layout", "custom"))).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldBe("No custom storage layout configuration found");
        (await (await Set(admin, systemId, ("storage_layout", "zfs"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["storage_layout"]);
        (await (await Set(admin, systemId)).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["storage_layout"]);
        await (await Set(user, systemId, ("storage_layout", "flat"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await _setup.SetStatusAsync(systemId, NodeStatus.ALLOCATED, user.Id);
        (await (await Set(admin, systemId, ("storage_layout", "flat"))).ShouldBeTextAsync(HttpStatusCode.Conflict))
            .ShouldBe("Cannot change the storage layout on a machine that is not Ready.");
    }
}

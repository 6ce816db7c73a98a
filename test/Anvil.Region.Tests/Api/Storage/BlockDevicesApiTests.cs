using System.Net;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;
using static Anvil.Region.Tests.Api.Storage.StorageSetup;

namespace Anvil.Region.Tests.Api.Storage;

public sealed class BlockDevicesApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly StorageSetup _setup = new(host);

    [Fact]
    public async Task List_shows_each_disk_with_every_MAAS_field()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        var list = await (await admin.Client.GetAsync(DevicesPath(systemId))).ShouldBeJsonAsync();

        var disk = list.EnumerateArray().ShouldHaveSingleItem();
        disk.GetProperty("id").GetInt64().ShouldBe(disks[0]);
        disk.GetProperty("type").GetString().ShouldBe("physical");
        disk.GetProperty("path").GetString().ShouldBe("/dev/disk/by-dname/sda");
        disk.GetProperty("available_size").GetInt64().ShouldBe(20 * GB);
        disk.GetProperty("used_for").GetString().ShouldBe("Unused");
        disk.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/nodes/{systemId}/blockdevices/{disks[0]}/");
        foreach (var field in (string[])["system_id", "name", "uuid", "model", "serial", "id_path", "size", "block_size", "used_size", "tags", "filesystem", "partition_table_type", "partitions", "firmware_version", "storage_pool", "numa_node"])
            disk.TryGetProperty(field, out _).ShouldBeTrue(field);
    }

    [Fact]
    public async Task A_partition_is_created_formatted_and_mounted_and_shows_in_the_machine()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        var partition = await CreatePartitionAsync(admin, systemId, disks[0], "5G");
        var id = partition.GetProperty("id").GetInt64();
        partition.GetProperty("path").GetString().ShouldBe("/dev/disk/by-dname/sda-part2");
        partition.GetProperty("size").GetInt64().ShouldBe(1192 * 4 * 1024 * 1024L);
        await (await admin.Client.PostOpAsync(Partition(systemId, disks[0], id), "format", ("fstype", "ext4"), ("label", "data"))).ShouldBeJsonAsync();
        var mounted = await (await admin.Client.PostOpAsync(Partition(systemId, disks[0], id), "mount", ("mount_point", "/srv"), ("mount_options", "noatime"))).ShouldBeJsonAsync();

        ShouldBeMountedAt(mounted, "ext4", "/srv");
        mounted.GetProperty("used_for").GetString().ShouldBe("ext4 formatted filesystem mounted at /srv");
        var disk = await (await admin.Client.GetAsync(Device(systemId, disks[0]))).ShouldBeJsonAsync();
        disk.GetProperty("partition_table_type").GetString().ShouldBe("GPT");
        disk.GetProperty("used_for").GetString().ShouldBe("GPT partitioned with 1 partition");
        var machine = await MachineAsync(admin, systemId);
        ShouldBeMountedAt(machine.GetProperty("boot_disk").GetProperty("partitions")[0], "ext4", "/srv");
        await _setup.Machines.ShouldBeAuditedAsync(admin, systemId, "mount");
    }

    [Fact]
    public async Task Creating_a_partition_larger_than_the_disk_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        var errors = await (await admin.Client.PostAsync(Partitions(systemId, disks[0]), ("size", "30G"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["size"]);
        (await _setup.PartitionedBytesAsync(disks[0])).ShouldBe(0);
    }

    [Fact]
    public async Task Structure_changes_need_an_admin_and_a_Ready_machine()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        await (await user.Client.PostAsync(Partitions(systemId, disks[0]))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await _setup.SetStatusAsync(systemId, NodeStatus.DEPLOYED, user.Id);
        var conflict = await (await admin.Client.PostAsync(Partitions(systemId, disks[0]))).ShouldBeTextAsync(HttpStatusCode.Conflict);
        conflict.ShouldBe("Cannot create partition because the node is not Ready.");
        await (await admin.Client.PostOpAsync(Device(systemId, disks[0]), "add_tag", ("tag", "fast"))).ShouldBeStatusAsync(HttpStatusCode.Conflict);
        (await _setup.PartitionedBytesAsync(disks[0])).ShouldBe(0);
    }

    [Fact]
    public async Task The_owner_formats_an_Allocated_machine_but_not_a_Ready_one_and_others_never()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var owner = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB, 10 * GB);

        var ready = await (await owner.Client.PostOpAsync(Device(systemId, disks[1]), "format", ("fstype", "xfs"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        ready.ShouldBe("Cannot format block device because you don't have the permissions on a Ready machine.");
        await _setup.SetStatusAsync(systemId, NodeStatus.ALLOCATED, owner.Id);
        await (await other.Client.PostOpAsync(Device(systemId, disks[1]), "format", ("fstype", "xfs"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        var formatted = await (await owner.Client.PostOpAsync(Device(systemId, disks[1]), "format", ("fstype", "xfs"))).ShouldBeJsonAsync();

        formatted.GetProperty("filesystem").GetProperty("fstype").GetString().ShouldBe("xfs");
        await _setup.SetStatusAsync(systemId, NodeStatus.DEPLOYED, owner.Id);
        (await (await owner.Client.PostOpAsync(Device(systemId, disks[1]), "unformat")).ShouldBeTextAsync(HttpStatusCode.Conflict))
            .ShouldBe("Cannot unformat block device because the machine is not Ready or Allocated.");
    }

    [Fact]
    public async Task Unknown_machines_devices_and_partitions_are_404()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        await (await admin.Client.GetAsync(DevicesPath("nosuch"))).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        await (await admin.Client.GetAsync(Device(systemId, 999999999))).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        await (await admin.Client.GetAsync(Partition(systemId, disks[0], 999999999))).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PostOpAsync(Device(systemId, 999999999), "format", ("fstype", "ext4"))).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admins_add_physical_disks_tag_them_choose_the_boot_disk_and_delete_them()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        var created = await (await admin.Client.PostAsync(DevicesPath(systemId), ("name", "sdz"), ("size", "10G"), ("block_size", "4096"), ("model", "M"), ("serial", "S1"))).ShouldBeJsonAsync();
        var id = created.GetProperty("id").GetInt64();
        var missing = await (await admin.Client.PostAsync(DevicesPath(systemId), ("name", "sdy"))).ShouldBeFieldErrorsAsync();
        missing.Keys.ShouldBe(["size", "block_size"], ignoreOrder: true);
        var tagged = await (await admin.Client.PostOpAsync(Device(systemId, id), "add_tag", ("tag", "nvme"))).ShouldBeJsonAsync();
        tagged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["nvme"]);
        (await (await admin.Client.PostOpAsync(Device(systemId, id), "set_boot_disk")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe("OK");
        (await MachineAsync(admin, systemId)).GetProperty("boot_disk").GetProperty("id").GetInt64().ShouldBe(id);

        await (await admin.Client.DeleteAsync(Device(systemId, id))).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        (await MachineAsync(admin, systemId)).GetProperty("boot_disk").GetProperty("id").GetInt64().ShouldBe(disks[0]);
    }
}

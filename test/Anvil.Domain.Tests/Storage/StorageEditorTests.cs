using Anvil.Domain.Errors;
using Anvil.Domain.Storage;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Storage;

public sealed class StorageEditorTests
{
    private const long GB = StorageModels.GB;

    [Fact]
    public void CreatePartition_refuses_more_than_the_free_space_and_leaves_the_disk_untouched()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB]);
        var disk = model.Disk(0);

        Should.Throw<ValidationException>(() => StorageEditor.CreatePartition(model, disk, 11 * GB, null, false)).FieldErrors.Keys.ShouldBe(["size"]);

        model.Partitions.ShouldBeEmpty();
        disk.PartitionTableType.ShouldBeNull();
    }

    [Fact]
    public void CreatePartition_without_a_size_takes_the_rest_and_then_nothing_is_left()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB]);
        var disk = model.Disk(0);
        StorageEditor.CreatePartition(model, disk, null, null, false);

        PartitionTables.Available(model, disk).ShouldBe(0);
        Should.Throw<ValidationException>(() => StorageEditor.CreatePartition(model, disk, null, null, false));
    }

    [Fact]
    public void Format_refuses_a_partitioned_disk_and_an_unknown_fstype()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB]);
        StorageEditor.CreatePartition(model, model.Disk(0), GB, null, false);

        Should.Throw<ValidationException>(() => StorageEditor.Format(model, model.Disk(0), null, "ext4", null, null));
        Should.Throw<ValidationException>(() => StorageEditor.Format(model, null, model.Partitions[0], "ntfs", null, null)).FieldErrors.Keys.ShouldBe(["fstype"]);
    }

    [Fact]
    public void Unformat_refuses_a_mounted_filesystem_and_a_group_member()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB, 10 * GB, 10 * GB]);
        var fs = StorageEditor.Format(model, model.Disk(0), null, "ext4", null, null);
        StorageEditor.Mount(model, fs, "/srv", null);
        Should.Throw<BadRequestException>(() => StorageEditor.Unformat(model, fs, "block device")).Message.ShouldStartWith("Filesystem is mounted");

        StorageEditor.CreateRaid(model, "raid-1", null, null, [StorageVolume.Of(model.Disk(1)), StorageVolume.Of(model.Disk(2))], []);
        Should.Throw<BadRequestException>(() => StorageEditor.Unformat(model, model.FilesystemOnDevice(model.Disk(1).Id), "block device"))
            .Message.ShouldStartWith("Filesystem is part of a RAID");
    }

    [Fact]
    public void Mount_needs_an_absolute_unused_mount_point()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB, 10 * GB]);
        var a = StorageEditor.Format(model, model.Disk(0), null, "ext4", null, null);
        var b = StorageEditor.Format(model, model.Disk(1), null, "xfs", null, null);
        StorageEditor.Mount(model, a, "/data", "noatime");

        Should.Throw<ValidationException>(() => StorageEditor.Mount(model, b, "data", null)).FieldErrors.Keys.ShouldBe(["mount_point"]);
        Should.Throw<ValidationException>(() => StorageEditor.Mount(model, b, "/data", null)).FieldErrors.Keys.ShouldBe(["mount_point"]);
        a.MountOptions.ShouldBe("noatime");
    }

    [Fact]
    public void CreateRaid_refuses_too_few_members_and_a_used_device()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB, 10 * GB, 10 * GB]);
        Should.Throw<ValidationException>(() => StorageEditor.CreateRaid(model, "raid-5", null, null, [StorageVolume.Of(model.Disk(0)), StorageVolume.Of(model.Disk(1))], []))
            .FieldErrors["__all__"].Single().ShouldBe("RAID level 5 must have at least 3 raid devices and any number of spares.");

        StorageEditor.Format(model, model.Disk(0), null, "ext4", null, null);
        Should.Throw<ValidationException>(() => StorageEditor.ResolveDevices(model, "block_devices", [model.Disk(0).Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            .FieldErrors.Keys.ShouldBe(["block_devices"]);
    }

    [Fact]
    public void A_RAID_5_device_is_as_large_as_its_level_makes_it_and_updates_grow_it()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB, 10 * GB, 10 * GB, 10 * GB]);
        var raid = StorageEditor.CreateRaid(model, "raid-5", null, null, [.. model.PhysicalDevices.Take(3).Select(StorageVolume.Of)], []);
        var md = model.VirtualDevicesOf(raid).Single();
        md.Name.ShouldBe("md0");
        md.Size.ShouldBe((20 * GB) - RaidMath.SuperblockOverhead);

        StorageEditor.UpdateRaid(model, raid, null, null, [StorageVolume.Of(model.Disk(3))], [], []);

        md.Size.ShouldBe((30 * GB) - RaidMath.SuperblockOverhead);
    }

    [Fact]
    public void Logical_volumes_cannot_exceed_the_volume_group_and_block_its_deletion()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB]);
        var vg = StorageEditor.CreateVolumeGroup(model, "data", null, [StorageVolume.Of(model.Disk(0))]);
        Should.Throw<ValidationException>(() => StorageEditor.CreateLogicalVolume(model, vg, "big", null, 11 * GB)).FieldErrors.Keys.ShouldBe(["size"]);
        var lv = StorageEditor.CreateLogicalVolume(model, vg, "lv0", null, 4 * GB);
        lv.Name.ShouldBe("data-lv0");

        Should.Throw<BadRequestException>(() => StorageEditor.DeleteVolumeGroup(model, vg));
        StorageEditor.DeleteLogicalVolume(model, vg, lv.Id);
        StorageEditor.DeleteVolumeGroup(model, vg);
        model.Filesystems.ShouldBeEmpty();
    }

    [Fact]
    public void A_cache_set_in_use_cannot_be_deleted_and_a_logical_volume_cannot_back_a_bcache()
    {
        var model = StorageModels.Node(diskSizes: [10 * GB, 10 * GB, 10 * GB]);
        var cacheSet = StorageEditor.CreateCacheSet(model, StorageVolume.Of(model.Disk(0)));
        StorageEditor.CreateBcache(model, null, null, cacheSet, StorageVolume.Of(model.Disk(1)), "writeback");
        Should.Throw<BadRequestException>(() => StorageEditor.DeleteCacheSet(model, cacheSet)).Message.ShouldBe("Cannot delete cache set; it's currently in use.");

        var vg = StorageEditor.CreateVolumeGroup(model, "vg", null, [StorageVolume.Of(model.Disk(2))]);
        var lv = StorageEditor.CreateLogicalVolume(model, vg, "lv", null, null);
        Should.Throw<ValidationException>(() => StorageEditor.CreateBcache(model, null, null, cacheSet, StorageVolume.Of(lv), "writeback"))
            .FieldErrors["__all__"].Single().ShouldBe("Bcache cannot use a logical volume as a backing device.");
        Should.Throw<ValidationException>(() => StorageEditor.CreateBcache(model, null, null, cacheSet, StorageVolume.Of(lv), "fast")).FieldErrors.Keys.ShouldBe(["cache_mode"]);
    }

    [Fact]
    public void Deleting_a_partition_renumbers_the_ones_after_it()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [10 * GB]);
        var parts = Enumerable.Range(0, 3).Select(_ => StorageEditor.CreatePartition(model, model.Disk(0), GB, null, false)).ToList();

        StorageEditor.DeletePartition(model, parts[0]);

        parts[1].Ordinal.ShouldBe(1);
        parts[2].Ordinal.ShouldBe(2);
    }
}

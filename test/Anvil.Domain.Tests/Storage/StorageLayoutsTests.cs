using Anvil.Domain.Errors;
using Anvil.Domain.Storage;
using Shouldly;
using Xunit;
using static Anvil.Domain.Storage.StorageSizes;

namespace Anvil.Domain.Tests.Storage;

public sealed class StorageLayoutsTests
{
    private const long GB = StorageModels.GB;

    private static void Apply(StorageModel model, string layout, Func<StorageLayoutOptions, StorageLayoutOptions>? with = null) =>
        StorageLayouts.Apply(model, with?.Invoke(new StorageLayoutOptions { Layout = layout }) ?? new StorageLayoutOptions { Layout = layout });

    [Fact]
    public void Flat_on_BIOS_puts_one_ext4_root_partition_on_the_boot_disk_using_all_space()
    {
        var model = StorageModels.Node(uefi: false, diskSizes: [20 * GB]);

        Apply(model, "flat");

        var disk = model.Disk(0);
        disk.PartitionTableType.ShouldBe("GPT");
        var root = model.Partitions.ShouldHaveSingleItem();
        root.Size.ShouldBe(PartitionTables.Usable(model, disk));
        var fs = model.FilesystemOnPartition(root.Id).ShouldNotBeNull();
        (fs.FsType, fs.Label, fs.MountPoint).ShouldBe(("ext4", "root", "/"));
    }

    [Fact]
    public void Flat_on_UEFI_adds_a_512_MiB_fat32_EFI_partition_mounted_at_boot_efi_first()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [20 * GB]);

        Apply(model, "flat");

        var parts = model.PartitionsOf(model.Disk(0).Id).ToList();
        parts.Count.ShouldBe(2);
        parts[0].Size.ShouldBe(512 * MiB);
        parts[0].Bootable.ShouldBeTrue();
        var efi = model.FilesystemOnPartition(parts[0].Id)!;
        (efi.FsType, efi.Label, efi.MountPoint).ShouldBe(("fat32", "efi", "/boot/efi"));
        model.FilesystemOnPartition(parts[1].Id)!.MountPoint.ShouldBe("/");
        parts[1].Size.ShouldBe(PartitionTables.Usable(model, model.Disk(0)) - (512 * MiB));
    }

    [Fact]
    public void Flat_with_boot_size_and_root_size_makes_a_boot_partition_and_a_sized_root()
    {
        var model = StorageModels.Node(uefi: false, diskSizes: [20 * GB]);

        Apply(model, "flat", o => o with { BootSize = "1G", RootSize = "50%" });

        var parts = model.PartitionsOf(model.Disk(0).Id).ToList();
        parts.Count.ShouldBe(2);
        parts[0].Size.ShouldBe(AlignDown(GB, 4 * MiB));
        model.FilesystemOnPartition(parts[0].Id)!.MountPoint.ShouldBe("/boot");
        parts[1].Size.ShouldBe(AlignDown(10 * GB, 4 * MiB));
    }

    [Fact]
    public void Flat_with_another_root_device_keeps_efi_on_the_boot_disk_and_root_on_the_other()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [20 * GB, 40 * GB]);

        Apply(model, "flat", o => o with { RootDevice = model.Disk(1).Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        model.PartitionsOf(model.Disk(0).Id).ShouldHaveSingleItem();
        var root = model.PartitionsOf(model.Disk(1).Id).ShouldHaveSingleItem();
        model.RootFilesystem!.PartitionId.ShouldBe(root.Id);
    }

    [Fact]
    public void Lvm_makes_vgroot_over_the_root_partition_and_lvroot_on_root()
    {
        var model = StorageModels.Node(uefi: false, diskSizes: [20 * GB]);

        Apply(model, "lvm");

        var vg = model.Groups.ShouldHaveSingleItem();
        (vg.GroupType, vg.Name).ShouldBe(("lvm-vg", "vgroot"));
        var pv = model.Members(vg).ShouldHaveSingleItem();
        pv.FsType.ShouldBe("lvm-pv");
        var lv = model.VirtualDevicesOf(vg).ShouldHaveSingleItem();
        lv.Name.ShouldBe("vgroot-lvroot");
        lv.Size.ShouldBe(model.GroupSize(vg));
        model.RootFilesystem!.DeviceId.ShouldBe(lv.Id);
    }

    [Fact]
    public void Lvm_takes_vg_name_lv_name_and_lv_size()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [20 * GB]);

        Apply(model, "lvm", o => o with { VgName = "sys", LvName = "root", LvSize = "5G" });

        model.Groups.Single().Name.ShouldBe("sys");
        var lv = model.Devices.Single(d => d.IsVirtual);
        lv.Name.ShouldBe("sys-root");
        lv.Size.ShouldBe(AlignDown(5 * GB, 4 * MiB));
    }

    [Fact]
    public void Lvm_refuses_an_lv_size_below_the_minimum_root()
    {
        var model = StorageModels.Node(diskSizes: [20 * GB]);
        var e = Should.Throw<ValidationException>(() => Apply(model, "lvm", o => o with { LvSize = "1G" }));
        e.FieldErrors["lv_size"].Single().ShouldStartWith("Size is too small.");
        model.Partitions.ShouldBeEmpty();
    }

    [Fact]
    public void Bcache_caches_the_root_partition_with_the_smallest_other_ssd()
    {
        var model = StorageModels.Node(uefi: false, diskSizes: [100 * GB, 50 * GB, 20 * GB]);
        model.Disk(1).Tags = ["ssd"];
        model.Disk(2).Tags = ["ssd"];

        Apply(model, "bcache");

        var cacheSet = model.CacheSets.ShouldHaveSingleItem();
        var cacheFs = model.CacheSetMember(cacheSet)!;
        model.DeviceUnder(cacheFs)!.Id.ShouldBe(model.Disk(2).Id);
        cacheFs.PartitionId.ShouldNotBeNull();
        var bcache = model.Groups.ShouldHaveSingleItem();
        (bcache.GroupType, bcache.Name, bcache.CacheMode).ShouldBe(("bcache", "bcache0", "writethrough"));
        var device = model.VirtualDevicesOf(bcache).ShouldHaveSingleItem();
        model.RootFilesystem!.DeviceId.ShouldBe(device.Id);
        model.DeviceUnder(model.Members(bcache).Single())!.Id.ShouldBe(model.Disk(0).Id);
    }

    [Fact]
    public void Bcache_with_cache_no_part_uses_the_whole_cache_disk_and_honours_cache_mode()
    {
        var model = StorageModels.Node(diskSizes: [100 * GB, 20 * GB]);

        Apply(model, "bcache", o => o with { CacheDevice = model.Disk(1).Id.ToString(System.Globalization.CultureInfo.InvariantCulture), CacheNoPart = true, CacheMode = "writeback" });

        model.CacheSetMember(model.CacheSets.Single())!.DeviceId.ShouldBe(model.Disk(1).Id);
        model.Groups.Single().CacheMode.ShouldBe("writeback");
    }

    [Fact]
    public void Bcache_without_an_ssd_falls_back_to_flat()
    {
        var model = StorageModels.Node(diskSizes: [100 * GB, 20 * GB]);

        Apply(model, "bcache");

        model.Groups.ShouldBeEmpty();
        model.FilesystemOnPartition(model.Partitions.Single().Id)!.MountPoint.ShouldBe("/");
    }

    [Fact]
    public void Blank_removes_everything_but_the_disks()
    {
        var model = StorageModels.Node(diskSizes: [100 * GB]);
        Apply(model, "lvm");

        Apply(model, "blank");

        model.Partitions.ShouldBeEmpty();
        model.Filesystems.ShouldBeEmpty();
        model.Groups.ShouldBeEmpty();
        model.Devices.ShouldHaveSingleItem().PartitionTableType.ShouldBeNull();
    }

    [Fact]
    public void A_new_layout_replaces_the_previous_one()
    {
        var model = StorageModels.Node(diskSizes: [100 * GB]);
        Apply(model, "lvm");

        Apply(model, "flat");

        model.Groups.ShouldBeEmpty();
        model.Devices.ShouldAllBe(d => !d.IsVirtual);
        model.Partitions.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("vmfs6")]
    [InlineData("vmfs7")]
    public void Vmfs_layouts_are_refused_as_not_supported(string layout)
    {
        var e = Should.Throw<BadRequestException>(() => Apply(StorageModels.Node(diskSizes: [100 * GB]), layout));
        e.Message.ShouldContain("not supported");
    }

    [Fact]
    public void Custom_is_refused_with_MAAS_message() =>
        Should.Throw<BadRequestException>(() => Apply(StorageModels.Node(diskSizes: [100 * GB]), "custom")).Message.ShouldBe("No custom storage layout configuration found");

    [Fact]
    public void A_machine_without_disks_has_no_boot_disk_for_a_layout() =>
        Should.Throw<BadRequestException>(() => Apply(StorageModels.Node(), "flat")).Message.ShouldBe(StorageLayouts.MissingBootDisk);

    [Fact]
    public void An_unknown_layout_is_a_field_error() =>
        Should.Throw<ValidationException>(() => Apply(StorageModels.Node(diskSizes: [100 * GB]), "zfs")).FieldErrors.Keys.ShouldBe(["storage_layout"]);

    [Fact]
    public void A_root_too_small_or_too_large_is_refused_and_changes_nothing()
    {
        var model = StorageModels.Node(diskSizes: [100 * GB]);
        Apply(model, "flat");
        var before = model.Partitions.Single().Id;

        Should.Throw<ValidationException>(() => Apply(model, "flat", o => o with { RootSize = "1G" })).FieldErrors["root_size"].Single().ShouldBe($"Size is too small. Minimum size is {3 * GiB}.");
        Should.Throw<ValidationException>(() => Apply(model, "flat", o => o with { RootSize = "200G" })).FieldErrors["root_size"].Single().ShouldStartWith("Size is too large.");
        Should.Throw<ValidationException>(() => Apply(StorageModels.Node(diskSizes: [2 * GB]), "flat")).FieldErrors.Keys.ShouldBe(["root_size"]);
        model.Partitions.Single().Id.ShouldBe(before);
    }

    [Fact]
    public void A_boot_partition_below_512_MiB_is_refused() =>
        Should.Throw<ValidationException>(() => Apply(StorageModels.Node(diskSizes: [100 * GB]), "flat", o => o with { BootSize = "100M" })).FieldErrors.Keys.ShouldBe(["boot_size"]);

    [Fact]
    public void The_layout_goes_on_the_disk_marked_as_boot_disk()
    {
        var model = StorageModels.Node(diskSizes: [100 * GB, 50 * GB]);
        model.Disk(1).IsBootDisk = true;

        Apply(model, "flat");

        model.Partitions.Single().DeviceId.ShouldBe(model.Disk(1).Id);
    }

    [Fact]
    public void New_entities_of_a_layout_never_share_an_id()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [100 * GB, 50 * GB]);
        model.Disk(1).Tags = ["ssd"];

        Apply(model, "bcache");

        var ids = model.Partitions.Select(p => p.Id).Concat(model.Filesystems.Select(f => f.Id)).Concat(model.Groups.Select(g => g.Id))
            .Concat(model.CacheSets.Select(c => c.Id)).Concat(model.Devices.Where(d => d.IsVirtual).Select(d => d.Id)).ToList();
        ids.ShouldAllBe(id => id < 0);
        ids.Distinct().Count().ShouldBe(ids.Count);
        model.NewId().ShouldBeLessThan(ids.Min());
    }
}

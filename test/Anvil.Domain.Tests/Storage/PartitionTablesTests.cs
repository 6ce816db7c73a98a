using Anvil.Domain.Storage;
using Shouldly;
using Xunit;
using static Anvil.Domain.Storage.StorageSizes;

namespace Anvil.Domain.Tests.Storage;

public sealed class PartitionTablesTests
{
    [Fact]
    public void A_BIOS_amd64_GPT_boot_disk_reserves_the_offset_the_end_and_a_bios_grub_partition()
    {
        var model = StorageModels.Node(uefi: false, diskSizes: [10 * StorageModels.GB]);
        var disk = model.Disk(0);
        disk.PartitionTableType = PartitionTables.Gpt;

        PartitionTables.LeadingPartitionFlag(model, disk).ShouldBe("bios_grub");
        PartitionTables.Overhead(model, disk).ShouldBe((4 + 1 + 1) * MiB);
        PartitionTables.Usable(model, disk).ShouldBe(AlignDown((10 * StorageModels.GB) - (6 * MiB), 4 * MiB));
        (PartitionTables.Usable(model, disk) % (4 * MiB)).ShouldBe(0);
    }

    [Fact]
    public void A_UEFI_boot_disk_and_a_non_boot_disk_need_no_bios_grub()
    {
        var uefi = StorageModels.Node(uefi: true, diskSizes: [10 * StorageModels.GB, 10 * StorageModels.GB]);
        foreach (var d in uefi.Devices)
            d.PartitionTableType = PartitionTables.Gpt;
        PartitionTables.LeadingPartitionFlag(uefi, uefi.Disk(0)).ShouldBeNull();
        PartitionTables.Overhead(uefi, uefi.Disk(0)).ShouldBe(5 * MiB);

        var bios = StorageModels.Node(uefi: false, diskSizes: [10 * StorageModels.GB, 10 * StorageModels.GB]);
        foreach (var d in bios.Devices)
            d.PartitionTableType = PartitionTables.Gpt;
        PartitionTables.LeadingPartitionFlag(bios, bios.Disk(1)).ShouldBeNull();
    }

    [Fact]
    public void Ppc64el_boot_disks_reserve_a_PReP_partition_and_MBR_disks_no_bios_grub()
    {
        var ppc = StorageModels.Node(architecture: "ppc64el/generic", diskSizes: [10 * StorageModels.GB]);
        ppc.Disk(0).PartitionTableType = PartitionTables.Gpt;
        PartitionTables.LeadingPartitionFlag(ppc, ppc.Disk(0)).ShouldBe("prep");
        PartitionTables.Overhead(ppc, ppc.Disk(0)).ShouldBe(13 * MiB);

        var mbr = StorageModels.Node(diskSizes: [10 * StorageModels.GB]);
        mbr.Disk(0).PartitionTableType = PartitionTables.Mbr;
        PartitionTables.LeadingPartitionFlag(mbr, mbr.Disk(0)).ShouldBeNull();
    }

    [Fact]
    public void MBR_uses_at_most_two_TiB_of_a_larger_disk()
    {
        var model = StorageModels.Node(diskSizes: [4 * TiB]);
        model.Disk(0).PartitionTableType = PartitionTables.Mbr;

        PartitionTables.Usable(model, model.Disk(0)).ShouldBe(AlignDown(PartitionTables.MbrMaxDeviceSize - (5 * MiB), 4 * MiB));
        PartitionTables.Usable(model, model.Disk(0)).ShouldBeLessThan(2 * TiB);
    }

    [Fact]
    public void Partition_numbers_follow_the_bios_grub_partition_on_a_BIOS_boot_disk()
    {
        var model = StorageModels.Node(diskSizes: [10 * StorageModels.GB]);
        var first = StorageEditor.CreatePartition(model, model.Disk(0), 1 * StorageModels.GB, null, false);
        var second = StorageEditor.CreatePartition(model, model.Disk(0), 1 * StorageModels.GB, null, false);

        PartitionTables.Number(model, first).ShouldBe(2);
        PartitionTables.Number(model, second).ShouldBe(3);
    }

    [Fact]
    public void On_MBR_with_more_than_four_partitions_the_fourth_slot_is_the_extended_partition()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [10 * StorageModels.GB]);
        model.Disk(0).PartitionTableType = PartitionTables.Mbr;
        var parts = Enumerable.Range(0, 5).Select(_ => StorageEditor.CreatePartition(model, model.Disk(0), StorageModels.GB, null, false)).ToList();

        parts.Select(p => PartitionTables.Number(model, p)).ShouldBe([1, 2, 3, 5, 6]);
    }

    [Fact]
    public void Available_space_shrinks_by_each_partition_and_stays_aligned()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [10 * StorageModels.GB]);
        var disk = model.Disk(0);
        disk.PartitionTableType = PartitionTables.Gpt;
        var before = PartitionTables.Available(model, disk);

        var p = StorageEditor.CreatePartition(model, disk, 1_000_000_001, null, false);

        p.Size.ShouldBe(AlignDown(1_000_000_001, 4 * MiB));
        PartitionTables.Available(model, disk).ShouldBe(before - p.Size);
    }
}

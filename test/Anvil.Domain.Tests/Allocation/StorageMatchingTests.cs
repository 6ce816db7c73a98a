using Anvil.Domain.Allocation;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Allocation.AllocationTestData;

namespace Anvil.Domain.Tests.Allocation;

public class StorageMatchingTests
{
    private static IReadOnlyList<StorageAssignment>? Assign(string storage, MachineCandidate machine) =>
        ConstraintMatcher.Match(Parse(("storage", storage)), machine)?.Storage;

    [Fact]
    public void First_item_applies_to_the_disk_holding_root()
    {
        var m = Machine() with { BlockDevices = [Disk(1, 1000), RootDisk(2, 100, "ssd")] };

        Assign("root:50(ssd)", m).ShouldBe([new StorageAssignment("root", false, 2)]);
        Assign("root:500", m).ShouldBeNull();
        Assign("root:50(rotary)", m).ShouldBeNull();
    }

    [Fact]
    public void Root_disk_whose_partition_holds_root_counts_as_the_root_device()
    {
        var disk = new BlockDeviceCandidate
        {
            Id = 7,
            Size = 200 * GB,
            HoldsRoot = true,
            HasPartitionTable = true,
            Partitions = [new PartitionCandidate { Id = 70, Size = 190 * GB, HoldsRoot = true, HasFilesystem = true }],
        };

        Assign("150", Machine() with { BlockDevices = [disk] }).ShouldBe([new StorageAssignment("", false, 7)]);
    }

    [Fact]
    public void Machine_without_root_filesystem_never_matches_storage()
    {
        Assign("1", Machine() with { BlockDevices = [Disk(1, 1000)] }).ShouldBeNull();
    }

    [Fact]
    public void Other_items_take_the_smallest_adequate_unused_disk()
    {
        var m = Machine() with { BlockDevices = [RootDisk(1, 100), Disk(2, 2000), Disk(3, 500), Disk(4, 300)] };

        Assign("root:10,data:400", m).ShouldBe([new("root", false, 1), new("data", false, 3)]);
    }

    [Fact]
    public void Disks_with_a_filesystem_or_partition_table_are_not_free()
    {
        var m = Machine() with
        {
            BlockDevices =
            [
                RootDisk(1, 100),
                Disk(2, 500) with { HasFilesystem = true },
                Disk(3, 500) with { HasPartitionTable = true },
                Disk(4, 900),
            ],
        };

        Assign("10,data:400", m).ShouldBe([new("", false, 1), new("data", false, 4)]);
    }

    [Fact]
    public void Most_specific_items_choose_before_less_specific_ones()
    {
        // Written order would let "any" take the small ssd and leave "fast" without a disk.
        var m = Machine() with { BlockDevices = [RootDisk(1, 100), Disk(2, 200, "ssd"), Disk(3, 400)] };

        Assign("root:10,any:100,fast:150(ssd)", m).ShouldBe([new("root", false, 1), new("fast", false, 2), new("any", false, 3)]);
    }

    [Fact]
    public void Each_disk_serves_one_item_and_a_missing_disk_fails_the_machine()
    {
        var m = Machine() with { BlockDevices = [RootDisk(1, 100), Disk(2, 500)] };

        Assign("10,a:100,b:100", m).ShouldBeNull();
        Assign("10,a:100", m).ShouldBe([new("", false, 1), new("a", false, 2)]);
    }

    [Fact]
    public void Equal_sizes_are_taken_by_lowest_id()
    {
        var m = Machine() with { BlockDevices = [RootDisk(1, 100), Disk(9, 500), Disk(5, 500)] };

        Assign("10,a:100", m)![1].DeviceId.ShouldBe(5);
    }

    [Fact]
    public void Partition_items_match_unformatted_partitions_smallest_first()
    {
        var disk = new BlockDeviceCandidate
        {
            Id = 1,
            Size = 1000 * GB,
            HoldsRoot = true,
            HasPartitionTable = true,
            Partitions =
            [
                new PartitionCandidate { Id = 11, Size = 100 * GB, HoldsRoot = true, HasFilesystem = true },
                new PartitionCandidate { Id = 12, Size = 400 * GB, Tags = ["fast"] },
                new PartitionCandidate { Id = 13, Size = 200 * GB, Tags = ["fast"] },
                new PartitionCandidate { Id = 14, Size = 150 * GB, HasFilesystem = true, Tags = ["fast"] },
            ],
        };
        var m = Machine() with { BlockDevices = [disk] };

        Assign("root:50(partition),scratch:100(partition,fast)", m)
            .ShouldBe([new("root", true, 11), new("scratch", true, 13)]);
        Assign("root:150(partition)", m).ShouldBeNull();
        Assign("root:50(partition),x:100(partition,slow)", m).ShouldBeNull();
    }

    [Fact]
    public void Constraints_by_type_lists_device_keys_per_label_as_maas_does()
    {
        var disk = new BlockDeviceCandidate
        {
            Id = 1,
            Size = 1000 * GB,
            HoldsRoot = true,
            HasPartitionTable = true,
            Partitions =
            [
                new PartitionCandidate { Id = 11, Size = 100 * GB, HoldsRoot = true, HasFilesystem = true },
                new PartitionCandidate { Id = 12, Size = 400 * GB },
            ],
        };
        var m = Machine(42) with { BlockDevices = [disk, Disk(2, 500)] };

        var match = ConstraintMatcher.Match(Parse(("storage", "root:10,data:100(partition),300")), m)!;
        var byType = match.ToConstraintsByType();

        byType.Storage!.Keys.ShouldBe(["root", "data"]);
        byType.Storage["root"].ShouldBe([1L]);
        byType.Storage["data"].ShouldBe(["partition:12"]);
        byType.Interfaces.ShouldBeNull();
        byType.VerboseStorage.ShouldBeNull();
    }

    [Fact]
    public void Unlabeled_storage_gives_no_storage_map()
    {
        var m = Machine() with { BlockDevices = [RootDisk(1, 100)] };

        ConstraintMatcher.Match(Parse(("storage", "10")), m)!.ToConstraintsByType().Storage.ShouldBeNull();
    }
}

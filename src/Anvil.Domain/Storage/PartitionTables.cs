namespace Anvil.Domain.Storage;

/// <summary>
/// Where partitions go on a device (maas-api.md §14.1): the first starts 4 MiB in, 1 MiB stays
/// free at the end, sizes are aligned down to 4 MiB, GPT boot disks of BIOS amd64 machines give
/// up 1 MiB to a bios_grub partition (ppc64el: 8 MiB to PReP), and MBR stops at 2 TiB.
/// </summary>
public static class PartitionTables
{
    public const string Gpt = "GPT";
    public const string Mbr = "MBR";

    public const long InitialOffset = 4 * StorageSizes.MiB;
    public const long EndReserve = StorageSizes.MiB;
    public const long Alignment = 4 * StorageSizes.MiB;
    public const long MinPartitionSize = 4 * StorageSizes.MiB;
    public const long BiosGrubSize = StorageSizes.MiB;
    public const long PrepSize = 8 * StorageSizes.MiB;

    /// <summary>The largest device an MBR table addresses: 2³²−1 sectors of 512 bytes.</summary>
    public const long MbrMaxDeviceSize = (long)uint.MaxValue * 512;

    /// <summary>The partition curtin adds in front of the user's partitions, if any: <c>bios_grub</c> or <c>prep</c>.</summary>
    public static string? LeadingPartitionFlag(StorageModel model, StorageDevice device)
    {
        if (device.PartitionTableType != Gpt || !model.IsGrubDevice(device))
            return null;
        if (model.Architecture.StartsWith("ppc64el", StringComparison.Ordinal))
            return "prep";
        return !model.Uefi && (model.Architecture.StartsWith("amd64", StringComparison.Ordinal) || model.Architecture.StartsWith("i386", StringComparison.Ordinal))
            ? "bios_grub"
            : null;
    }

    public static long LeadingPartitionSize(string? flag) => flag switch
    {
        "bios_grub" => BiosGrubSize,
        "prep" => PrepSize,
        _ => 0,
    };

    /// <summary>Bytes the table and its fixed partitions take from <paramref name="device"/>.</summary>
    public static long Overhead(StorageModel model, StorageDevice device) =>
        InitialOffset + EndReserve + LeadingPartitionSize(LeadingPartitionFlag(model, device));

    /// <summary>What partitions may use in total, aligned down.</summary>
    public static long Usable(StorageModel model, StorageDevice device)
    {
        var size = device.PartitionTableType == Mbr ? Math.Min(device.Size, MbrMaxDeviceSize) : device.Size;
        return StorageSizes.AlignDown(size - Overhead(model, device), Alignment);
    }

    /// <summary>Room left for a new partition, aligned down.</summary>
    public static long Available(StorageModel model, StorageDevice device) =>
        StorageSizes.AlignDown(Usable(model, device) - model.PartitionsOf(device.Id).Sum(p => p.Size), Alignment);

    /// <summary>
    /// The partition's number on the disk: its place, after a bios_grub/PReP partition when there
    /// is one; on MBR with more than four partitions the fourth slot is the extended partition.
    /// </summary>
    public static int Number(StorageModel model, StoragePartition partition)
    {
        var device = model.Device(partition.DeviceId);
        var number = partition.Ordinal + (LeadingPartitionFlag(model, device) is null ? 0 : 1);
        if (device.PartitionTableType == Mbr && partition.Ordinal >= 4 && model.PartitionsOf(device.Id).Count() > 4)
            number++;
        return number;
    }
}

namespace Anvil.Domain.Storage;

/// <summary>A whole device or a partition, as a group member or a cache device.</summary>
public readonly record struct StorageVolume(StorageDevice? Device, StoragePartition? Partition)
{
    public static StorageVolume Of(StorageDevice device) => new(device, null);

    public static StorageVolume Of(StoragePartition partition) => new(null, partition);

    public bool Matches(StorageFilesystem fs) =>
        (Device is not null && fs.DeviceId == Device.Id) || (Partition is not null && fs.PartitionId == Partition.Id);
}

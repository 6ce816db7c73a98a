namespace Anvil.Domain.Storage;

/// <summary>
/// A block device of a node: a physical disk (from commissioning or the API) or a virtual one
/// (a logical volume, an md device, a bcache device) made by <see cref="GroupId"/>. Ids are the
/// database ids; entities not yet stored have negative ids (<see cref="StorageModel.NewId"/>).
/// </summary>
public sealed class StorageDevice
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public bool IsVirtual => GroupId is not null;
    public string Type => IsVirtual ? "virtual" : "physical";
    public string Model { get; set; } = "";
    public string Serial { get; set; } = "";
    public string? IdPath { get; set; }
    public long Size { get; set; }
    public int BlockSize { get; set; } = 512;
    public List<string> Tags { get; set; } = [];
    public bool IsBootDisk { get; set; }
    public string? Uuid { get; set; }
    public string? FirmwareVersion { get; set; }
    public int NumaNode { get; set; }
    /// <summary><c>GPT</c>, <c>MBR</c> or null when the device carries no partition table.</summary>
    public string? PartitionTableType { get; set; }
    public long? GroupId { get; set; }
}

/// <summary>A partition; <see cref="Ordinal"/> is its 1-based place on the device (the device number may be shifted, see <see cref="PartitionTables.Number"/>).</summary>
public sealed class StoragePartition
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public int Ordinal { get; set; }
    public long Size { get; set; }
    public string? Uuid { get; set; }
    public bool Bootable { get; set; }
    public List<string> Tags { get; set; } = [];
}

/// <summary>
/// A file system on a device, on a partition, or (tmpfs, ramfs) on the node itself. Member
/// file systems (lvm-pv, raid, raid-spare, bcache-backing) name their group; bcache-cache its cache set.
/// </summary>
public sealed class StorageFilesystem
{
    public long Id { get; set; }
    public long? DeviceId { get; set; }
    public long? PartitionId { get; set; }
    public string FsType { get; set; } = "";
    public string? Label { get; set; }
    public string? Uuid { get; set; }
    public string? MountPoint { get; set; }
    public string? MountOptions { get; set; }
    public long? GroupId { get; set; }
    public long? CacheSetId { get; set; }
    public bool IsMounted => MountPoint is not null;
    public bool IsSpecial => DeviceId is null && PartitionId is null;
}

/// <summary>An LVM volume group, a RAID or a bcache.</summary>
public sealed class StorageGroup
{
    public long Id { get; set; }
    /// <summary>One of <see cref="GroupTypes"/>.</summary>
    public string GroupType { get; set; } = "";
    public string Name { get; set; } = "";
    public string Uuid { get; set; } = "";
    public string? CacheMode { get; set; }
    public long? CacheSetId { get; set; }
    public bool IsLvm => GroupType == GroupTypes.LvmVg;
    public bool IsRaid => GroupTypes.IsRaid(GroupType);
    public bool IsBcache => GroupType == GroupTypes.Bcache;
}

/// <summary>A bcache cache set: one cache device (or partition), shared by bcaches.</summary>
public sealed class StorageCacheSet
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
}

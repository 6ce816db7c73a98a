using Anvil.Domain.Errors;

namespace Anvil.Domain.Storage;

/// <summary>
/// The whole storage configuration of one node, as read in one transaction with the node locked.
/// Operations (<see cref="StorageEditor"/>, <see cref="StorageLayouts"/>) change it in memory; the
/// data layer writes the differences back. Queries here answer the questions every operation asks.
/// </summary>
public sealed class StorageModel
{
    private long _nextNewId;

    public long NodeId { get; init; }
    public string SystemId { get; init; } = "";
    /// <summary><c>arch/subarch</c>, e.g. <c>amd64/generic</c>.</summary>
    public string Architecture { get; init; } = "";
    /// <summary>The node boots with UEFI (bios_boot_method <c>uefi</c>).</summary>
    public bool Uefi { get; init; }

    public List<StorageDevice> Devices { get; init; } = [];
    public List<StoragePartition> Partitions { get; init; } = [];
    public List<StorageFilesystem> Filesystems { get; init; } = [];
    public List<StorageGroup> Groups { get; init; } = [];
    public List<StorageCacheSet> CacheSets { get; init; } = [];

    /// <summary>A fresh negative id for an entity the database has not seen yet.</summary>
    public long NewId() => --_nextNewId;

    public StorageDevice Device(long id) => Devices.First(d => d.Id == id);

    public StorageDevice? FindDevice(long id) => Devices.FirstOrDefault(d => d.Id == id);

    public StoragePartition? FindPartition(long id) => Partitions.FirstOrDefault(p => p.Id == id);

    public StorageGroup Group(long id) => Groups.First(g => g.Id == id);

    public IEnumerable<StorageDevice> PhysicalDevices => Devices.Where(d => !d.IsVirtual).OrderBy(d => d.Id);

    public IEnumerable<StoragePartition> PartitionsOf(long deviceId) => Partitions.Where(p => p.DeviceId == deviceId).OrderBy(p => p.Ordinal);

    public StorageFilesystem? FilesystemOnDevice(long deviceId) => Filesystems.FirstOrDefault(f => f.DeviceId == deviceId);

    public StorageFilesystem? FilesystemOnPartition(long partitionId) => Filesystems.FirstOrDefault(f => f.PartitionId == partitionId);

    public IEnumerable<StorageFilesystem> SpecialFilesystems => Filesystems.Where(f => f.IsSpecial);

    public IEnumerable<StorageFilesystem> Members(StorageGroup group) => Filesystems.Where(f => f.GroupId == group.Id);

    public IEnumerable<StorageDevice> VirtualDevicesOf(StorageGroup group) => Devices.Where(d => d.GroupId == group.Id).OrderBy(d => d.Id);

    public StorageFilesystem? CacheSetMember(StorageCacheSet cacheSet) => Filesystems.FirstOrDefault(f => f.CacheSetId == cacheSet.Id);

    /// <summary>The boot disk: the one chosen with set_boot_disk, else the first physical disk.</summary>
    public StorageDevice? BootDisk => PhysicalDevices.FirstOrDefault(d => d.IsBootDisk) ?? PhysicalDevices.FirstOrDefault();

    /// <summary>The file system mounted at <c>/</c>, if any.</summary>
    public StorageFilesystem? RootFilesystem => Filesystems.FirstOrDefault(f => f.MountPoint == "/");

    /// <summary>The device a member or partition file system lives on (the partition's device for partitions).</summary>
    public StorageDevice? DeviceUnder(StorageFilesystem fs) =>
        fs.DeviceId is { } d ? FindDevice(d) : fs.PartitionId is { } p && FindPartition(p) is { } part ? FindDevice(part.DeviceId) : null;

    /// <summary>Bytes a file system spans: its device's or partition's size.</summary>
    public long SizeOf(StorageFilesystem fs) =>
        fs.DeviceId is { } d ? Device(d).Size : fs.PartitionId is { } p ? FindPartition(p)?.Size ?? 0 : 0;

    /// <summary>
    /// The physical disks that hold <c>/</c>, following virtual devices down to their members;
    /// grub goes on each (all RAID members when <c>/</c> is on a RAID), else on the boot disk.
    /// </summary>
    public IReadOnlyList<StorageDevice> GrubDevices()
    {
        var found = new List<StorageDevice>();
        if (RootFilesystem is { } root && DeviceUnder(root) is { } device && device.IsVirtual && Group(device.GroupId!.Value).IsRaid)
            found.AddRange(PhysicalUnder(device).Distinct());
        if (found.Count == 0 && BootDisk is { } boot)
            found.Add(boot);
        return found;
    }

    public bool IsGrubDevice(StorageDevice device) => !device.IsVirtual && GrubDevices().Any(d => d.Id == device.Id);

    private IEnumerable<StorageDevice> PhysicalUnder(StorageDevice device)
    {
        if (!device.IsVirtual)
            return [device];
        var group = Group(device.GroupId!.Value);
        return Members(group).Where(m => m.FsType == FsTypes.Raid).Select(DeviceUnder).OfType<StorageDevice>().SelectMany(PhysicalUnder);
    }

    /// <summary>The size a group offers: a volume group's extents, a RAID's array size, a bcache's backing size.</summary>
    public long GroupSize(StorageGroup group)
    {
        var members = Members(group).ToList();
        if (group.IsLvm)
            return RaidMath.VolumeGroupSize([.. members.Select(SizeOf)]);
        if (group.IsRaid)
            return Math.Max(0, RaidMath.RaidSize(group.GroupType, [.. members.Where(m => m.FsType == FsTypes.Raid).Select(SizeOf)]));
        return members.Where(m => m.FsType == FsTypes.BcacheBacking).Select(SizeOf).FirstOrDefault();
    }

    /// <summary>Space of a volume group not given to logical volumes.</summary>
    public long VolumeGroupFree(StorageGroup group) => GroupSize(group) - VirtualDevicesOf(group).Sum(d => d.Size);

    /// <summary>Keeps md and bcache devices as large as their groups make them.</summary>
    public void RefreshVirtualSizes()
    {
        foreach (var group in Groups.Where(g => !g.IsLvm))
        {
            foreach (var device in VirtualDevicesOf(group))
                device.Size = GroupSize(group);
        }
    }

    /// <summary>Bytes of a device in use: all of it when formatted or a member, else its partitions plus the table's overhead.</summary>
    public long UsedSize(StorageDevice device)
    {
        if (FilesystemOnDevice(device.Id) is not null)
            return device.Size;
        if (device.PartitionTableType is null)
            return 0;
        return Math.Min(device.Size, PartitionsOf(device.Id).Sum(p => p.Size) + PartitionTables.Overhead(this, device));
    }

    /// <summary>A device nothing uses: no file system, no partition table.</summary>
    public bool IsFree(StorageDevice device) => FilesystemOnDevice(device.Id) is null && device.PartitionTableType is null && !PartitionsOf(device.Id).Any();

    public bool IsFree(StoragePartition partition) => FilesystemOnPartition(partition.Id) is null;

    /// <summary>MAAS's <c>used_for</c> text of a device.</summary>
    public string UsedFor(StorageDevice device)
    {
        if (FilesystemOnDevice(device.Id) is { } fs)
            return UsedFor(fs);
        var count = PartitionsOf(device.Id).Count();
        if (device.PartitionTableType is { } table)
            return $"{table} partitioned with {count} partition{(count == 1 ? "" : "s")}";
        return "Unused";
    }

    public string UsedFor(StoragePartition partition) =>
        FilesystemOnPartition(partition.Id) is { } fs ? UsedFor(fs) : "Unused";

    private string UsedFor(StorageFilesystem fs)
    {
        var group = fs.GroupId is { } g ? Group(g) : null;
        return fs.FsType switch
        {
            FsTypes.LvmPv => $"LVM volume for {group?.Name}",
            FsTypes.Raid => $"Active {group?.GroupType} device for {group?.Name}",
            FsTypes.RaidSpare => $"Spare {group?.GroupType} device for {group?.Name}",
            FsTypes.BcacheBacking => $"Backing device for {group?.Name}",
            FsTypes.BcacheCache => $"Cache device for {CacheSets.FirstOrDefault(c => c.Id == fs.CacheSetId)?.Name}",
            _ when fs.IsMounted => $"{fs.FsType} formatted filesystem mounted at {fs.MountPoint}",
            _ => $"Unmounted {fs.FsType} formatted filesystem",
        };
    }

    /// <summary>The next free <c>&lt;prefix&gt;N</c> among groups and cache sets (md0, md1, bcache0, cache0, vg0 …).</summary>
    public string NextName(string prefix)
    {
        var taken = Groups.Select(g => g.Name).Concat(CacheSets.Select(c => c.Name)).Concat(Devices.Select(d => d.Name)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; ; i++)
        {
            if (!taken.Contains($"{prefix}{i}"))
                return $"{prefix}{i}";
        }
    }

    /// <summary>Drops everything but the physical disks (and their tags and boot flag), as a layout or <c>blank</c> starts from.</summary>
    public void ClearConfiguration()
    {
        Filesystems.Clear();
        Partitions.Clear();
        Groups.Clear();
        CacheSets.Clear();
        Devices.RemoveAll(d => d.IsVirtual);
        foreach (var device in Devices)
            device.PartitionTableType = null;
    }

    /// <summary>Removes a partition and renumbers the ones after it.</summary>
    public void RemovePartition(StoragePartition partition)
    {
        Partitions.Remove(partition);
        Filesystems.RemoveAll(f => f.PartitionId == partition.Id);
        var ordinal = 1;
        foreach (var p in PartitionsOf(partition.DeviceId).ToList())
            p.Ordinal = ordinal++;
    }

    /// <summary>Removes a group with its member file systems and the virtual devices it makes (and everything on them).</summary>
    public void RemoveGroup(StorageGroup group)
    {
        foreach (var device in VirtualDevicesOf(group).ToList())
            RemoveDevice(device);
        Filesystems.RemoveAll(f => f.GroupId == group.Id);
        Groups.Remove(group);
    }

    /// <summary>Removes a device with its partitions and file systems, and any group that then has no members.</summary>
    public void RemoveDevice(StorageDevice device)
    {
        foreach (var partition in PartitionsOf(device.Id).ToList())
        {
            Partitions.Remove(partition);
            RemoveFilesystem(FilesystemOnPartition(partition.Id));
        }

        RemoveFilesystem(FilesystemOnDevice(device.Id));
        Devices.Remove(device);
    }

    private void RemoveFilesystem(StorageFilesystem? fs)
    {
        if (fs is null)
            return;
        Filesystems.Remove(fs);
        if (fs.GroupId is { } g && Groups.FirstOrDefault(x => x.Id == g) is { } group && !Members(group).Any())
            RemoveGroup(group);
        if (fs.CacheSetId is { } c && CacheSets.FirstOrDefault(x => x.Id == c) is { } cacheSet)
        {
            foreach (var bcache in Groups.Where(x => x.CacheSetId == cacheSet.Id).ToList())
                RemoveGroup(bcache);
            CacheSets.Remove(cacheSet);
        }
    }

    /// <summary>The 404 MAAS answers for an id that is not a device of this node.</summary>
    public StorageDevice DeviceOr404(string id) =>
        (long.TryParse(id, out var n) ? FindDevice(n) : Devices.FirstOrDefault(d => d.Name == id))
        ?? throw new NotFoundException("No BlockDevice matches the given query.");
}

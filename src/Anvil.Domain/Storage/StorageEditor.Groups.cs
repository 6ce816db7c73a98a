using Anvil.Domain.Errors;

namespace Anvil.Domain.Storage;

/// <summary>Volume groups, logical volumes and RAIDs.</summary>
public static partial class StorageEditor
{
    /// <summary>Devices of this node named by <paramref name="ids"/> (ids or names), each free for use; a field error otherwise.</summary>
    public static List<StorageVolume> ResolveDevices(StorageModel model, string field, IEnumerable<string> ids, StorageGroup? joining = null)
    {
        var found = new List<StorageVolume>();
        foreach (var id in ids)
        {
            var device = long.TryParse(id, out var n) ? model.FindDevice(n) : model.Devices.FirstOrDefault(d => d.Name == id);
            var usable = device is not null
                && (model.IsFree(device) || (joining is not null && model.FilesystemOnDevice(device.Id)?.GroupId == joining.Id))
                && !(device.IsVirtual && joining is not null && device.GroupId == joining.Id);
            if (!usable)
                throw Invalid(field, InvalidChoice(id));
            found.Add(StorageVolume.Of(device!));
        }

        return found;
    }

    /// <summary>Partitions of this node named by <paramref name="ids"/>, each unformatted (or already a member of <paramref name="joining"/>).</summary>
    public static List<StorageVolume> ResolvePartitions(StorageModel model, string field, IEnumerable<string> ids, StorageGroup? joining = null)
    {
        var found = new List<StorageVolume>();
        foreach (var id in ids)
        {
            var partition = long.TryParse(id, out var n) ? model.FindPartition(n) : null;
            var usable = partition is not null && (model.IsFree(partition) || (joining is not null && model.FilesystemOnPartition(partition.Id)?.GroupId == joining.Id));
            if (!usable)
                throw Invalid(field, InvalidChoice(id));
            found.Add(StorageVolume.Of(partition!));
        }

        return found;
    }

    public static StorageGroup CreateVolumeGroup(StorageModel model, string name, string? uuid, IReadOnlyList<StorageVolume> volumes)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw Invalid("name", "This field is required.");
        CheckNameFree(model, name, null);
        if (volumes.Count == 0)
            throw Invalid(AllFields, "At least one valid block device or partition is required.");
        if (volumes.Any(v => v.Device is { IsVirtual: true } d && model.Group(d.GroupId!.Value).IsLvm))
            throw Invalid("block_devices", "A logical volume cannot be a physical volume.");
        var group = new StorageGroup { Id = model.NewId(), GroupType = GroupTypes.LvmVg, Name = name, Uuid = CheckUuid("uuid", uuid) ?? Guid.NewGuid().ToString() };
        model.Groups.Add(group);
        foreach (var volume in volumes)
            AddMember(model, group, volume, FsTypes.LvmPv);
        return group;
    }

    /// <summary>Renames and changes the physical volumes of a volume group; it may not shrink below its logical volumes.</summary>
    public static void UpdateVolumeGroup(StorageModel model, StorageGroup group, string? name, string? uuid, IReadOnlyList<StorageVolume> add, IReadOnlyList<StorageVolume> remove)
    {
        if (!string.IsNullOrEmpty(name) && name != group.Name)
        {
            CheckNameFree(model, name, group);
            foreach (var lv in model.VirtualDevicesOf(group))
                lv.Name = name + lv.Name[group.Name.Length..];
            group.Name = name;
        }

        group.Uuid = CheckUuid("uuid", uuid) ?? group.Uuid;
        foreach (var volume in add)
            AddMember(model, group, volume, FsTypes.LvmPv);
        foreach (var volume in remove)
            model.Filesystems.RemoveAll(f => f.GroupId == group.Id && volume.Matches(f));
        if (!model.Members(group).Any())
            throw Invalid(AllFields, "At least one valid block device or partition is required.");
        if (model.VolumeGroupFree(group) < 0)
            throw Invalid(AllFields, "Volume group cannot be smaller than its logical volumes.");
    }

    public static void DeleteVolumeGroup(StorageModel model, StorageGroup group)
    {
        if (model.VirtualDevicesOf(group).Any())
            throw new BadRequestException("This volume group has logical volumes; it cannot be deleted.");
        model.RemoveGroup(group);
    }

    public static StorageDevice CreateLogicalVolume(StorageModel model, StorageGroup group, string name, string? uuid, long? size)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw Invalid("name", "This field is required.");
        var deviceName = $"{group.Name}-{name}";
        if (model.Devices.Any(d => d.Name == deviceName))
            throw Invalid("name", $"A logical volume named {name} already exists in volume group {group.Name}.");
        var free = StorageSizes.AlignDown(model.VolumeGroupFree(group), RaidMath.LvmExtent);
        if (free < PartitionTables.MinPartitionSize)
            throw Invalid(AllFields, "Volume group has no free space for a logical volume.");
        var wanted = size is { } s ? StorageSizes.AlignDown(s, RaidMath.LvmExtent) : free;
        if (size is < PartitionTables.MinPartitionSize)
            throw Invalid("size", $"Ensure this value is greater than or equal to {PartitionTables.MinPartitionSize}.");
        if (wanted > free)
            throw Invalid("size", $"Size is too large. Maximum size is {free}.");
        var lv = new StorageDevice
        {
            Id = model.NewId(),
            Name = deviceName,
            Size = wanted,
            BlockSize = 4096,
            GroupId = group.Id,
            Uuid = CheckUuid("uuid", uuid) ?? Guid.NewGuid().ToString(),
        };
        model.Devices.Add(lv);
        return lv;
    }

    public static void DeleteLogicalVolume(StorageModel model, StorageGroup group, long id)
    {
        var lv = model.VirtualDevicesOf(group).FirstOrDefault(d => d.Id == id) ?? throw new NotFoundException("No VirtualBlockDevice matches the given query.");
        model.RemoveDevice(lv);
    }

    /// <summary>A RAID of <paramref name="level"/> and the md device it makes.</summary>
    public static StorageGroup CreateRaid(StorageModel model, string level, string? name, string? uuid, IReadOnlyList<StorageVolume> active, IReadOnlyList<StorageVolume> spares)
    {
        if (!GroupTypes.IsRaid(level))
            throw Invalid("level", InvalidChoice(level));
        name = string.IsNullOrEmpty(name) ? model.NextName("md") : name;
        CheckNameFree(model, name, null);
        CheckDistinct(active.Concat(spares));
        if (RaidMath.MemberCountError(level, active.Count, spares.Count) is { } error)
            throw Invalid(AllFields, error);
        var group = new StorageGroup { Id = model.NewId(), GroupType = level, Name = name, Uuid = CheckUuid("uuid", uuid) ?? Guid.NewGuid().ToString() };
        model.Groups.Add(group);
        foreach (var volume in active)
            AddMember(model, group, volume, FsTypes.Raid);
        foreach (var volume in spares)
            AddMember(model, group, volume, FsTypes.RaidSpare);
        model.Devices.Add(new StorageDevice { Id = model.NewId(), Name = name, BlockSize = 512, GroupId = group.Id, Uuid = group.Uuid });
        model.RefreshVirtualSizes();
        return group;
    }

    /// <summary>Changes a RAID's name, uuid and members; the level's member rules still hold afterwards.</summary>
    public static void UpdateRaid(StorageModel model, StorageGroup group, string? name, string? uuid, IReadOnlyList<StorageVolume> addActive, IReadOnlyList<StorageVolume> addSpares, IReadOnlyList<StorageVolume> remove)
    {
        if (!string.IsNullOrEmpty(name) && name != group.Name)
        {
            CheckNameFree(model, name, group);
            foreach (var md in model.VirtualDevicesOf(group))
                md.Name = name;
            group.Name = name;
        }

        group.Uuid = CheckUuid("uuid", uuid) ?? group.Uuid;
        foreach (var volume in remove)
            model.Filesystems.RemoveAll(f => f.GroupId == group.Id && volume.Matches(f));
        CheckDistinct(addActive.Concat(addSpares));
        foreach (var volume in addActive)
            AddMember(model, group, volume, FsTypes.Raid);
        foreach (var volume in addSpares)
            AddMember(model, group, volume, FsTypes.RaidSpare);
        var members = model.Members(group).ToList();
        if (RaidMath.MemberCountError(group.GroupType, members.Count(m => m.FsType == FsTypes.Raid), members.Count(m => m.FsType == FsTypes.RaidSpare)) is { } error)
            throw Invalid(AllFields, error);
        model.RefreshVirtualSizes();
    }

    public static void DeleteGroup(StorageModel model, StorageGroup group) => model.RemoveGroup(group);

    internal static void AddMember(StorageModel model, StorageGroup group, StorageVolume volume, string fstype)
    {
        // A member that changes role (active ↔ spare) is replaced.
        model.Filesystems.RemoveAll(f => f.GroupId == group.Id && volume.Matches(f));
        if (volume.Device is { } d && (model.FilesystemOnDevice(d.Id) is not null || d.PartitionTableType is not null))
            throw Invalid("block_devices", InvalidChoice(d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (volume.Partition is { } p && model.FilesystemOnPartition(p.Id) is not null)
            throw Invalid("partitions", InvalidChoice(p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        model.Filesystems.Add(new StorageFilesystem
        {
            Id = model.NewId(),
            DeviceId = volume.Device?.Id,
            PartitionId = volume.Partition?.Id,
            FsType = fstype,
            GroupId = group.Id,
        });
    }

    private static void CheckNameFree(StorageModel model, string name, StorageGroup? self)
    {
        var taken = model.Groups.Any(g => g != self && g.Name == name)
            || model.Devices.Any(d => d.Name == name && (self is null || d.GroupId != self.Id));
        if (taken)
            throw Invalid("name", $"A device or group named {name} already exists on this machine.");
    }

    private static void CheckDistinct(IEnumerable<StorageVolume> volumes)
    {
        var list = volumes.ToList();
        if (list.Select(v => (v.Device?.Id, v.Partition?.Id)).Distinct().Count() != list.Count)
            throw Invalid(AllFields, "A device or partition can only be used once.");
    }
}

using Anvil.Domain.Errors;

namespace Anvil.Domain.Storage;

/// <summary>Block devices themselves: physical disks added by hand, updates, tags, the boot disk.</summary>
public static partial class StorageEditor
{
    public const long MinBlockDeviceSize = 4 * StorageSizes.MiB;

    public static StorageDevice CreatePhysical(StorageModel model, string name, long size, int blockSize, string? modelName, string? serial, string? idPath)
    {
        CheckPhysical(model, null, name, size, blockSize);
        if (string.IsNullOrEmpty(idPath) && (string.IsNullOrEmpty(modelName) || string.IsNullOrEmpty(serial)))
            throw Invalid(AllFields, "serial/model are required if id_path is not provided.");
        var device = new StorageDevice
        {
            Id = model.NewId(),
            Name = name,
            Size = size,
            BlockSize = blockSize,
            Model = modelName ?? "",
            Serial = serial ?? "",
            IdPath = string.IsNullOrEmpty(idPath) ? null : idPath,
        };
        model.Devices.Add(device);
        return device;
    }

    /// <summary>PUT on a physical disk; <paramref name="deployed"/> allows only identity fields (MAAS lets a failed disk be replaced).</summary>
    public static void UpdatePhysical(StorageModel model, StorageDevice device, bool deployed, string? name, string? modelName, string? serial, string? idPath, long? size, int? blockSize)
    {
        CheckPhysical(model, device, name ?? device.Name, deployed ? device.Size : size ?? device.Size, deployed ? device.BlockSize : blockSize ?? device.BlockSize);
        device.Name = string.IsNullOrEmpty(name) ? device.Name : name;
        device.Model = modelName ?? device.Model;
        device.Serial = serial ?? device.Serial;
        device.IdPath = idPath is null ? device.IdPath : idPath.Length == 0 ? null : idPath;
        if (deployed)
            return;
        device.Size = size ?? device.Size;
        device.BlockSize = blockSize ?? device.BlockSize;
        model.RefreshVirtualSizes();
    }

    /// <summary>PUT on a virtual device: name and uuid; size only for logical volumes, within the volume group.</summary>
    public static void UpdateVirtual(StorageModel model, StorageDevice device, string? name, string? uuid, long? size)
    {
        var group = model.Group(device.GroupId!.Value);
        if (!string.IsNullOrEmpty(name))
        {
            var newName = group.IsLvm && !name.StartsWith(group.Name + "-", StringComparison.Ordinal) ? $"{group.Name}-{name}" : name;
            if (model.Devices.Any(d => d != device && d.Name == newName) || (!group.IsLvm && model.Groups.Any(g => g != group && g.Name == newName)))
                throw Invalid("name", $"A device or group named {newName} already exists on this machine.");
            device.Name = newName;
            if (!group.IsLvm)
                group.Name = newName;
        }

        device.Uuid = CheckUuid("uuid", uuid) ?? device.Uuid;
        if (size is { } s)
        {
            if (!group.IsLvm)
                throw Invalid("size", "Size can only be changed on a logical volume.");
            var aligned = StorageSizes.AlignDown(s, RaidMath.LvmExtent);
            var max = model.VolumeGroupFree(group) + device.Size;
            if (aligned < MinBlockDeviceSize)
                throw Invalid("size", $"Ensure this value is greater than or equal to {MinBlockDeviceSize}.");
            if (aligned > max)
                throw Invalid("size", $"Size is too large. Maximum size is {max}.");
            device.Size = aligned;
        }
    }

    /// <summary>Deletes a device: a physical disk, a logical volume, or an md/bcache device together with its group.</summary>
    public static void DeleteDevice(StorageModel model, StorageDevice device)
    {
        if (model.FilesystemOnDevice(device.Id) is { } fs && (fs.GroupId is not null || fs.CacheSetId is not null))
            throw new BadRequestException($"Cannot delete block device because it is part of a {NiceNameOf(model, fs)}.");
        if (model.PartitionsOf(device.Id).Any(p => model.FilesystemOnPartition(p.Id) is { } pfs && (pfs.GroupId is not null || pfs.CacheSetId is not null)))
            throw new BadRequestException("Cannot delete block device because one of its partitions is in use.");
        if (device.IsVirtual && !model.Group(device.GroupId!.Value).IsLvm)
            model.RemoveGroup(model.Group(device.GroupId!.Value));
        else
            model.RemoveDevice(device);
    }

    public static void AddTag(StorageDevice device, string tag)
    {
        if (!device.Tags.Contains(tag, StringComparer.Ordinal))
            device.Tags.Add(tag);
    }

    public static void RemoveTag(StorageDevice device, string tag) => device.Tags.Remove(tag);

    public static void SetBootDisk(StorageModel model, StorageDevice device)
    {
        if (device.IsVirtual)
            throw new BadRequestException($"Cannot set a {device.Type} block device as the boot disk.");
        foreach (var d in model.Devices)
            d.IsBootDisk = d == device;
    }

    private static void CheckPhysical(StorageModel model, StorageDevice? self, string name, long size, int blockSize)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw Invalid("name", "This field is required.");
        if (model.Devices.Any(d => d != self && d.Name == name))
            throw Invalid("name", $"A block device named {name} already exists on this machine.");
        if (size < MinBlockDeviceSize)
            throw Invalid("size", $"Ensure this value is greater than or equal to {MinBlockDeviceSize}.");
        if (blockSize < 512)
            throw Invalid("block_size", "Ensure this value is greater than or equal to 512.");
        if (self is not null && size < model.UsedSize(self))
            throw Invalid("size", "Size cannot be smaller than what is in use on the block device.");
    }
}

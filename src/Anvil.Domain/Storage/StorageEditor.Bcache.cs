using Anvil.Domain.Errors;

namespace Anvil.Domain.Storage;

/// <summary>bcache cache sets and bcache devices.</summary>
public static partial class StorageEditor
{
    /// <summary>Exactly one of a device and a partition; MAAS's messages otherwise.</summary>
    public static StorageVolume OneOf(StorageModel model, string deviceField, string? deviceId, string partitionField, string? partitionId, string noneMessage, string bothMessage, StorageGroup? joining = null)
    {
        var hasDevice = !string.IsNullOrEmpty(deviceId);
        var hasPartition = !string.IsNullOrEmpty(partitionId);
        if (hasDevice && hasPartition)
            throw Invalid(AllFields, bothMessage);
        if (!hasDevice && !hasPartition)
            throw Invalid(AllFields, noneMessage);
        return hasDevice
            ? ResolveDevices(model, deviceField, [deviceId!], joining)[0]
            : ResolvePartitions(model, partitionField, [partitionId!], joining)[0];
    }

    public static StorageCacheSet CreateCacheSet(StorageModel model, StorageVolume cache, string? name = null)
    {
        var cacheSet = new StorageCacheSet { Id = model.NewId(), Name = string.IsNullOrEmpty(name) ? model.NextName("cache") : name };
        model.CacheSets.Add(cacheSet);
        SetCacheDevice(model, cacheSet, cache);
        return cacheSet;
    }

    public static void SetCacheDevice(StorageModel model, StorageCacheSet cacheSet, StorageVolume cache)
    {
        if (cache.Device is { IsVirtual: true } d && model.Group(d.GroupId!.Value).IsLvm)
            throw Invalid("cache_device", "A logical volume cannot be a cache device.");
        model.Filesystems.RemoveAll(f => f.CacheSetId == cacheSet.Id);
        model.Filesystems.Add(new StorageFilesystem
        {
            Id = model.NewId(),
            DeviceId = cache.Device?.Id,
            PartitionId = cache.Partition?.Id,
            FsType = FsTypes.BcacheCache,
            CacheSetId = cacheSet.Id,
        });
    }

    public static void DeleteCacheSet(StorageModel model, StorageCacheSet cacheSet)
    {
        if (model.Groups.Any(g => g.CacheSetId == cacheSet.Id))
            throw new BadRequestException("Cannot delete cache set; it's currently in use.");
        model.Filesystems.RemoveAll(f => f.CacheSetId == cacheSet.Id);
        model.CacheSets.Remove(cacheSet);
    }

    /// <summary>The cache set named by id or name; a field error otherwise.</summary>
    public static StorageCacheSet ResolveCacheSet(StorageModel model, string? idOrName)
    {
        if (string.IsNullOrEmpty(idOrName))
            throw Invalid("cache_set", "Bcache requires a cache_set.");
        return (long.TryParse(idOrName, out var n) ? model.CacheSets.FirstOrDefault(c => c.Id == n) : model.CacheSets.FirstOrDefault(c => c.Name == idOrName))
            ?? throw Invalid("cache_set", InvalidChoice(idOrName));
    }

    public static StorageGroup CreateBcache(StorageModel model, string? name, string? uuid, StorageCacheSet cacheSet, StorageVolume backing, string? cacheMode)
    {
        var mode = CheckCacheMode(cacheMode ?? "");
        CheckBacking(model, backing);
        name = string.IsNullOrEmpty(name) ? model.NextName("bcache") : name;
        CheckNameFree(model, name, null);
        var group = new StorageGroup
        {
            Id = model.NewId(),
            GroupType = GroupTypes.Bcache,
            Name = name,
            Uuid = CheckUuid("uuid", uuid) ?? Guid.NewGuid().ToString(),
            CacheMode = mode,
            CacheSetId = cacheSet.Id,
        };
        model.Groups.Add(group);
        AddMember(model, group, backing, FsTypes.BcacheBacking);
        var backingDevice = backing.Device ?? model.Device(backing.Partition!.DeviceId);
        model.Devices.Add(new StorageDevice { Id = model.NewId(), Name = name, BlockSize = backingDevice.BlockSize, GroupId = group.Id, Uuid = group.Uuid });
        model.RefreshVirtualSizes();
        return group;
    }

    public static void UpdateBcache(StorageModel model, StorageGroup group, string? name, string? uuid, StorageCacheSet? cacheSet, StorageVolume? backing, string? cacheMode)
    {
        if (!string.IsNullOrEmpty(name) && name != group.Name)
        {
            CheckNameFree(model, name, group);
            foreach (var device in model.VirtualDevicesOf(group))
                device.Name = name;
            group.Name = name;
        }

        group.Uuid = CheckUuid("uuid", uuid) ?? group.Uuid;
        if (!string.IsNullOrEmpty(cacheMode))
            group.CacheMode = CheckCacheMode(cacheMode);
        if (cacheSet is not null)
            group.CacheSetId = cacheSet.Id;
        if (backing is { } b)
        {
            CheckBacking(model, b);
            model.Filesystems.RemoveAll(f => f.GroupId == group.Id);
            AddMember(model, group, b, FsTypes.BcacheBacking);
        }

        model.RefreshVirtualSizes();
    }

    private static string CheckCacheMode(string mode) =>
        CacheModes.All.Contains(mode, StringComparer.Ordinal) ? mode : throw Invalid("cache_mode", InvalidChoice(mode));

    private static void CheckBacking(StorageModel model, StorageVolume backing)
    {
        if (backing.Device is { IsVirtual: true } d && model.Group(d.GroupId!.Value).IsLvm)
            throw Invalid(AllFields, "Bcache cannot use a logical volume as a backing device.");
    }
}

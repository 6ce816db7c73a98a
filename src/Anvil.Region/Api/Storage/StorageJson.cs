using System.Globalization;
using System.Text.Json.Nodes;
using Anvil.Domain.Storage;

namespace Anvil.Region.Api.Storage;

/// <summary>Storage objects as MAAS renders them (maas-api.md §3.9): block devices, partitions, volume groups, RAIDs, bcaches, cache sets.</summary>
internal static class StorageJson
{
    private const string ApiPrefix = "/MAAS/api/2.0/";

    public static string NodeUri(StorageModel m) => $"{ApiPrefix}nodes/{m.SystemId}";

    public static JsonObject Device(StorageModel m, StorageDevice d)
    {
        var used = m.UsedSize(d);
        return new JsonObject
        {
            ["system_id"] = m.SystemId,
            ["id"] = d.Id,
            ["name"] = d.Name,
            ["uuid"] = d.IsVirtual ? d.Uuid : null,
            ["type"] = d.Type,
            ["path"] = $"/dev/disk/by-dname/{d.Name}",
            ["model"] = d.IsVirtual ? null : d.Model,
            ["serial"] = d.IsVirtual ? null : d.Serial,
            ["id_path"] = d.IdPath,
            ["size"] = d.Size,
            ["block_size"] = d.BlockSize,
            ["available_size"] = d.Size - used,
            ["used_size"] = used,
            ["used_for"] = m.UsedFor(d),
            ["tags"] = Strings(d.Tags),
            ["filesystem"] = Filesystem(m.FilesystemOnDevice(d.Id)),
            ["partition_table_type"] = d.PartitionTableType,
            ["partitions"] = new JsonArray([.. m.PartitionsOf(d.Id).Select(p => (JsonNode)Partition(m, p))]),
            ["firmware_version"] = d.FirmwareVersion,
            ["storage_pool"] = null,
            ["numa_node"] = d.IsVirtual ? null : d.NumaNode,
            ["resource_uri"] = $"{NodeUri(m)}/blockdevices/{d.Id}/",
        };
    }

    public static JsonObject Partition(StorageModel m, StoragePartition p)
    {
        var device = m.Device(p.DeviceId);
        return new JsonObject
        {
            ["system_id"] = m.SystemId,
            ["device_id"] = p.DeviceId,
            ["id"] = p.Id,
            ["uuid"] = p.Uuid,
            ["path"] = $"/dev/disk/by-dname/{device.Name}-part{PartitionTables.Number(m, p)}",
            ["type"] = "partition",
            ["size"] = p.Size,
            ["bootable"] = p.Bootable,
            ["filesystem"] = Filesystem(m.FilesystemOnPartition(p.Id)),
            ["used_for"] = m.UsedFor(p),
            ["tags"] = Strings(p.Tags),
            ["resource_uri"] = $"{NodeUri(m)}/blockdevices/{p.DeviceId}/partition/{p.Id}",
        };
    }

    public static JsonObject? Filesystem(StorageFilesystem? fs) => fs is null ? null : new JsonObject
    {
        ["fstype"] = fs.FsType,
        ["label"] = fs.Label,
        ["uuid"] = fs.Uuid,
        ["mount_point"] = fs.MountPoint,
        ["mount_options"] = fs.MountOptions,
    };

    /// <summary>A member volume: its device or partition object.</summary>
    public static JsonObject Volume(StorageModel m, StorageFilesystem member) =>
        member.DeviceId is { } d ? Device(m, m.Device(d)) : Partition(m, m.FindPartition(member.PartitionId!.Value)!);

    public static JsonObject VolumeGroup(StorageModel m, StorageGroup g)
    {
        var size = m.GroupSize(g);
        var used = m.VirtualDevicesOf(g).Sum(d => d.Size);
        return new JsonObject
        {
            ["system_id"] = m.SystemId,
            ["id"] = g.Id,
            ["uuid"] = g.Uuid,
            ["name"] = g.Name,
            ["devices"] = new JsonArray([.. m.Members(g).Select(f => (JsonNode)Volume(m, f))]),
            ["size"] = size,
            ["human_size"] = StorageSizes.Human(size),
            ["available_size"] = size - used,
            ["human_available_size"] = StorageSizes.Human(size - used),
            ["used_size"] = used,
            ["human_used_size"] = StorageSizes.Human(used),
            ["logical_volumes"] = new JsonArray([.. m.VirtualDevicesOf(g).Select(d => (JsonNode)Device(m, d))]),
            ["resource_uri"] = $"{NodeUri(m)}/volume-group/{g.Id}/",
        };
    }

    public static JsonObject Raid(StorageModel m, StorageGroup g)
    {
        var size = m.GroupSize(g);
        var members = m.Members(g).ToList();
        return new JsonObject
        {
            ["system_id"] = m.SystemId,
            ["id"] = g.Id,
            ["uuid"] = g.Uuid,
            ["name"] = g.Name,
            ["level"] = g.GroupType,
            ["devices"] = new JsonArray([.. members.Where(f => f.FsType == FsTypes.Raid).Select(f => (JsonNode)Volume(m, f))]),
            ["spare_devices"] = new JsonArray([.. members.Where(f => f.FsType == FsTypes.RaidSpare).Select(f => (JsonNode)Volume(m, f))]),
            ["size"] = size,
            ["human_size"] = StorageSizes.Human(size),
            ["virtual_device"] = m.VirtualDevicesOf(g).Select(d => Device(m, d)).FirstOrDefault(),
            ["resource_uri"] = $"{NodeUri(m)}/raid/{g.Id}/",
        };
    }

    public static JsonObject Bcache(StorageModel m, StorageGroup g)
    {
        var size = m.GroupSize(g);
        var cacheSet = m.CacheSets.FirstOrDefault(c => c.Id == g.CacheSetId);
        var backing = m.Members(g).FirstOrDefault(f => f.FsType == FsTypes.BcacheBacking);
        return new JsonObject
        {
            ["system_id"] = m.SystemId,
            ["id"] = g.Id,
            ["uuid"] = g.Uuid,
            ["name"] = g.Name,
            ["cache_set"] = cacheSet is null ? null : CacheSet(m, cacheSet),
            ["backing_device"] = backing is null ? null : Volume(m, backing),
            ["size"] = size,
            ["human_size"] = StorageSizes.Human(size),
            ["virtual_device"] = m.VirtualDevicesOf(g).Select(d => Device(m, d)).FirstOrDefault(),
            ["cache_mode"] = g.CacheMode,
            ["resource_uri"] = $"{NodeUri(m)}/bcache/{g.Id}/",
        };
    }

    public static JsonObject CacheSet(StorageModel m, StorageCacheSet s) => new()
    {
        ["system_id"] = m.SystemId,
        ["id"] = s.Id,
        ["name"] = s.Name,
        ["cache_device"] = m.CacheSetMember(s) is { } member ? Volume(m, member) : null,
        ["resource_uri"] = $"{NodeUri(m)}/bcache-cache-set/{s.Id}/",
    };

    /// <summary>The machine JSON's stub of a group or cache set.</summary>
    public static JsonObject Stub(StorageModel m, long id, string path) => new()
    {
        ["system_id"] = m.SystemId,
        ["id"] = id,
        ["__incomplete__"] = true,
        ["resource_uri"] = $"{NodeUri(m)}/{path}/{id.ToString(CultureInfo.InvariantCulture)}/",
    };

    public static JsonObject Special(StorageFilesystem fs) => Filesystem(fs)!;

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)v)];
}

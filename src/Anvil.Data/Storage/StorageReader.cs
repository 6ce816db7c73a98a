using Anvil.Domain.Storage;
using Npgsql;

namespace Anvil.Data.Storage;

/// <summary>Reads nodes' storage models: one batch of six queries for any number of nodes.</summary>
public static class StorageReader
{
    private const string NodeSelect = "SELECT n.id, n.system_id, n.architecture, coalesce(n.bios_boot_method, '') FROM node n WHERE n.id = ANY(@ids) ORDER BY n.id";
    private const string NodeLockSelect = "SELECT n.id, n.system_id, n.architecture, coalesce(n.bios_boot_method, '') FROM node n WHERE n.id = ANY(@ids) ORDER BY n.id FOR UPDATE";

    private const string DeviceSelect =
        """
        SELECT b.id, b.node_id, b.name, b.model, b.serial, b.id_path, b.size, b.block_size, b.tags, b.is_boot_disk, b.uuid,
               b.firmware_version, b.numa_node, b.partition_table_type, b.filesystem_group_id
        FROM blockdevice b WHERE b.node_id = ANY(@ids) ORDER BY b.id
        """;

    private const string PartitionSelect =
        """
        SELECT p.id, b.node_id, p.blockdevice_id, p.number, p.size, p.uuid, p.bootable, p.tags
        FROM partition p JOIN blockdevice b ON b.id = p.blockdevice_id WHERE b.node_id = ANY(@ids) ORDER BY p.blockdevice_id, p.number
        """;

    private const string FilesystemSelect =
        """
        SELECT f.id, f.node_id, f.blockdevice_id, f.partition_id, f.fstype, f.label, f.uuid, f.mount_point, f.mount_options,
               f.filesystem_group_id, f.cache_set_id
        FROM filesystem f WHERE f.node_id = ANY(@ids) ORDER BY f.id
        """;

    private const string GroupSelect =
        "SELECT g.id, g.node_id, g.group_type, g.name, g.uuid, g.cache_mode, g.cache_set_id FROM filesystem_group g WHERE g.node_id = ANY(@ids) ORDER BY g.id";

    private const string CacheSetSelect = "SELECT s.id, s.node_id, s.name FROM cache_set s WHERE s.node_id = ANY(@ids) ORDER BY s.id";

    /// <summary>One node's model; with <paramref name="lockNode"/> the node row is locked for the rest of the transaction.</summary>
    public static async Task<StorageModel?> LoadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, bool lockNode, CancellationToken ct) =>
        (await LoadManyAsync(c, tx, [nodeId], lockNode, ct)).GetValueOrDefault(nodeId);

    public static async Task<IReadOnlyDictionary<long, StorageModel>> LoadManyAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long[] nodeIds, bool lockNode, CancellationToken ct)
    {
        var models = new Dictionary<long, StorageModel>(nodeIds.Length);
        if (nodeIds.Length == 0)
            return models;
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var sql in (string[])[lockNode ? NodeLockSelect : NodeSelect, DeviceSelect, PartitionSelect, FilesystemSelect, GroupSelect, CacheSetSelect])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddWithValue("ids", nodeIds);
            batch.BatchCommands.Add(command);
        }

        await using var r = await batch.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            models[r.GetInt64(0)] = new StorageModel
            {
                NodeId = r.GetInt64(0),
                SystemId = r.GetString(1),
                Architecture = r.GetString(2),
                Uefi = r.GetString(3) == "uefi",
            };
        }

        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (!models.TryGetValue(r.GetInt64(1), out var m))
                continue;
            m.Devices.Add(new StorageDevice
            {
                Id = r.GetInt64(0),
                Name = r.GetString(2),
                Model = r.GetString(3),
                Serial = r.GetString(4),
                IdPath = Text(r, 5),
                Size = r.GetInt64(6),
                BlockSize = r.GetInt32(7),
                Tags = [.. r.GetFieldValue<string[]>(8)],
                IsBootDisk = r.GetBoolean(9),
                Uuid = Text(r, 10),
                FirmwareVersion = Text(r, 11),
                NumaNode = r.GetInt32(12),
                PartitionTableType = Text(r, 13),
                GroupId = Long(r, 14),
            });
        }

        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (!models.TryGetValue(r.GetInt64(1), out var m))
                continue;
            m.Partitions.Add(new StoragePartition
            {
                Id = r.GetInt64(0),
                DeviceId = r.GetInt64(2),
                Ordinal = r.GetInt32(3),
                Size = r.GetInt64(4),
                Uuid = Text(r, 5),
                Bootable = r.GetBoolean(6),
                Tags = [.. r.GetFieldValue<string[]>(7)],
            });
        }

        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (!models.TryGetValue(r.GetInt64(1), out var m))
                continue;
            m.Filesystems.Add(new StorageFilesystem
            {
                Id = r.GetInt64(0),
                DeviceId = Long(r, 2),
                PartitionId = Long(r, 3),
                FsType = r.GetString(4),
                Label = Text(r, 5),
                Uuid = Text(r, 6),
                MountPoint = Text(r, 7),
                MountOptions = Text(r, 8),
                GroupId = Long(r, 9),
                CacheSetId = Long(r, 10),
            });
        }

        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (!models.TryGetValue(r.GetInt64(1), out var m))
                continue;
            m.Groups.Add(new StorageGroup
            {
                Id = r.GetInt64(0),
                GroupType = r.GetString(2),
                Name = r.GetString(3),
                Uuid = r.GetString(4),
                CacheMode = Text(r, 5),
                CacheSetId = Long(r, 6),
            });
        }

        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (models.TryGetValue(r.GetInt64(1), out var m))
                m.CacheSets.Add(new StorageCacheSet { Id = r.GetInt64(0), Name = r.GetString(2) });
        }

        return models;
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Long(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}

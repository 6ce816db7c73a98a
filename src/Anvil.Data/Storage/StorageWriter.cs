using Anvil.Domain.Storage;
using Dapper;
using Npgsql;

namespace Anvil.Data.Storage;

/// <summary>
/// Writes a changed <see cref="StorageModel"/> back: rows the model no longer has are deleted,
/// the rest updated, and new entities (negative ids) inserted parents first; their ids become the
/// database's. Call it in the transaction that loaded the model with the node locked.
/// </summary>
public static class StorageWriter
{
    public static async Task SaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, StorageModel model, CancellationToken ct)
    {
        var nodeId = model.NodeId;
        async Task Execute(string sql, object parameters) => await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));

        // Deletes first, children before parents, so uniqueness (one file system per volume,
        // partition numbers, names) never sees the old and the new at once.
        await Execute("DELETE FROM filesystem WHERE node_id = @nodeId AND NOT id = ANY(@keep)", new { nodeId, keep = Kept(model.Filesystems.Select(f => f.Id)) });
        await Execute(
            "DELETE FROM partition p USING blockdevice b WHERE b.id = p.blockdevice_id AND b.node_id = @nodeId AND NOT p.id = ANY(@keep)",
            new { nodeId, keep = Kept(model.Partitions.Select(p => p.Id)) });
        await Execute("DELETE FROM blockdevice WHERE node_id = @nodeId AND NOT id = ANY(@keep)", new { nodeId, keep = Kept(model.Devices.Select(d => d.Id)) });
        await Execute("DELETE FROM filesystem_group WHERE node_id = @nodeId AND NOT id = ANY(@keep)", new { nodeId, keep = Kept(model.Groups.Select(g => g.Id)) });
        await Execute("DELETE FROM cache_set WHERE node_id = @nodeId AND NOT id = ANY(@keep)", new { nodeId, keep = Kept(model.CacheSets.Select(s => s.Id)) });

        var ids = new Dictionary<long, long>();
        long Resolve(long id) => id >= 0 ? id : ids[id];
        long? ResolveNullable(long? id) => id is { } v ? Resolve(v) : null;

        foreach (var cacheSet in model.CacheSets)
        {
            if (cacheSet.Id < 0)
                ids[cacheSet.Id] = cacheSet.Id = await Insert("INSERT INTO cache_set (node_id, name) VALUES (@nodeId, @Name) RETURNING id", new { nodeId, cacheSet.Name });
            else
                await Execute("UPDATE cache_set SET name = @Name WHERE id = @Id", new { cacheSet.Id, cacheSet.Name });
        }

        foreach (var group in model.Groups)
        {
            var row = new { nodeId, group.Id, group.GroupType, group.Name, group.Uuid, group.CacheMode, CacheSetId = ResolveNullable(group.CacheSetId) };
            if (group.Id < 0)
            {
                ids[group.Id] = group.Id = await Insert(
                    """
                    INSERT INTO filesystem_group (node_id, group_type, name, uuid, cache_mode, cache_set_id)
                    VALUES (@nodeId, @GroupType, @Name, @Uuid, @CacheMode, @CacheSetId) RETURNING id
                    """,
                    row);
            }
            else
            {
                await Execute("UPDATE filesystem_group SET name = @Name, uuid = @Uuid, cache_mode = @CacheMode, cache_set_id = @CacheSetId WHERE id = @Id", row);
            }

            group.CacheSetId = row.CacheSetId;
        }

        foreach (var device in model.Devices)
        {
            var row = new
            {
                nodeId,
                device.Id,
                device.Name,
                device.Type,
                device.Model,
                device.Serial,
                device.IdPath,
                device.Size,
                device.BlockSize,
                Tags = device.Tags.ToArray(),
                device.IsBootDisk,
                device.Uuid,
                device.PartitionTableType,
                GroupId = ResolveNullable(device.GroupId),
            };
            if (device.Id < 0)
            {
                ids[device.Id] = device.Id = await Insert(
                    """
                    INSERT INTO blockdevice (node_id, name, type, model, serial, id_path, size, block_size, tags, is_boot_disk, uuid, partition_table_type, filesystem_group_id)
                    VALUES (@nodeId, @Name, @Type, @Model, @Serial, @IdPath, @Size, @BlockSize, @Tags, @IsBootDisk, @Uuid, @PartitionTableType, @GroupId) RETURNING id
                    """,
                    row);
            }
            else
            {
                await Execute(
                    """
                    UPDATE blockdevice SET name = @Name, model = @Model, serial = @Serial, id_path = @IdPath, size = @Size, block_size = @BlockSize,
                        tags = @Tags, is_boot_disk = @IsBootDisk, uuid = @Uuid, partition_table_type = @PartitionTableType, updated = now()
                    WHERE id = @Id
                    """,
                    row);
            }

            device.GroupId = row.GroupId;
        }

        // Renumbering after a delete only lowers numbers, so ascending order never collides.
        foreach (var partition in model.Partitions.OrderBy(p => p.DeviceId).ThenBy(p => p.Ordinal))
        {
            partition.DeviceId = Resolve(partition.DeviceId);
            var row = new { partition.Id, partition.DeviceId, partition.Ordinal, partition.Size, partition.Uuid, partition.Bootable, Tags = partition.Tags.ToArray() };
            if (partition.Id < 0)
            {
                ids[partition.Id] = partition.Id = await Insert(
                    "INSERT INTO partition (blockdevice_id, number, size, uuid, bootable, tags) VALUES (@DeviceId, @Ordinal, @Size, @Uuid, @Bootable, @Tags) RETURNING id",
                    row);
            }
            else
            {
                await Execute("UPDATE partition SET number = @Ordinal, size = @Size, uuid = @Uuid, bootable = @Bootable, tags = @Tags WHERE id = @Id", row);
            }
        }

        foreach (var fs in model.Filesystems)
        {
            fs.DeviceId = ResolveNullable(fs.DeviceId);
            fs.PartitionId = ResolveNullable(fs.PartitionId);
            fs.GroupId = ResolveNullable(fs.GroupId);
            fs.CacheSetId = ResolveNullable(fs.CacheSetId);
            var row = new { nodeId, fs.Id, fs.DeviceId, fs.PartitionId, fs.FsType, fs.Label, fs.Uuid, fs.MountPoint, fs.MountOptions, fs.GroupId, fs.CacheSetId };
            if (fs.Id < 0)
            {
                ids[fs.Id] = fs.Id = await Insert(
                    """
                    INSERT INTO filesystem (node_id, blockdevice_id, partition_id, fstype, label, uuid, mount_point, mount_options, filesystem_group_id, cache_set_id)
                    VALUES (@nodeId, @DeviceId, @PartitionId, @FsType, @Label, @Uuid, @MountPoint, @MountOptions, @GroupId, @CacheSetId) RETURNING id
                    """,
                    row);
            }
            else
            {
                await Execute(
                    """
                    UPDATE filesystem SET label = @Label, uuid = @Uuid, mount_point = @MountPoint, mount_options = @MountOptions,
                        filesystem_group_id = @GroupId, cache_set_id = @CacheSetId
                    WHERE id = @Id
                    """,
                    row);
            }
        }

        async Task<long> Insert(string sql, object parameters) => await c.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
    }

    private static long[] Kept(IEnumerable<long> ids) => [.. ids.Where(id => id > 0)];
}

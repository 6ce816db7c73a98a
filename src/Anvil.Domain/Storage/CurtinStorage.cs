using System.Globalization;
using System.Text.Json.Nodes;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Storage;

/// <summary>
/// Renders a <see cref="StorageModel"/> as curtin v1 storage config entries (maas-api.md §14.2),
/// in an order the installer can apply top to bottom: disks and their partitions, then groups
/// once their members exist (volume groups with their logical volumes, RAIDs, bcaches, each
/// followed by its own partitions), then every format, then every mount, parents before children.
/// </summary>
public static class CurtinStorage
{
    public const string NoRoot = "Machine has no file system mounted at '/'; apply a storage layout or mount one before deploying.";

    public static JsonArray Render(StorageModel model)
    {
        if (model.RootFilesystem is null)
            throw new ValidationException("storage", NoRoot);
        var renderer = new Renderer(model);
        return renderer.Render();
    }

    public static string Bytes(long size) => size.ToString(CultureInfo.InvariantCulture) + "B";

    private sealed class Renderer(StorageModel model)
    {
        private readonly JsonArray _entries = [];
        private readonly List<string> _volumeOrder = [];
        private readonly Dictionary<(bool IsPartition, long Id), string> _volumeIds = [];

        public JsonArray Render()
        {
            var grub = model.GrubDevices().Select(d => d.Id).ToHashSet();
            var disks = model.PhysicalDevices.Where(IsUsed).OrderBy(d => d.Id == model.BootDisk?.Id ? 0 : 1).ThenBy(d => d.Id);
            foreach (var disk in disks)
            {
                var entry = new JsonObject
                {
                    ["id"] = disk.Name,
                    ["name"] = disk.Name,
                    ["type"] = "disk",
                    ["wipe"] = "superblock",
                };
                if (disk.PartitionTableType is { } table)
                    entry["ptable"] = table == PartitionTables.Mbr ? "msdos" : "gpt";
                if (disk.Serial.Length > 0)
                {
                    entry["serial"] = disk.Serial;
                    if (disk.Model.Length > 0)
                        entry["model"] = disk.Model;
                }
                else if (disk.IdPath is { Length: > 0 } path)
                {
                    entry["path"] = path;
                }
                else
                {
                    entry["path"] = $"/dev/{disk.Name}";
                }

                if (grub.Contains(disk.Id))
                    entry["grub_device"] = true;
                Add(entry, disk);
                AddPartitions(disk);
            }

            AddGroups();
            AddFormats();
            AddMounts();
            return _entries;
        }

        private bool IsUsed(StorageDevice disk) =>
            disk.PartitionTableType is not null || model.FilesystemOnDevice(disk.Id) is not null || model.IsGrubDevice(disk);

        private void Add(JsonObject entry, StorageDevice device)
        {
            _entries.Add(entry);
            _volumeIds[(false, device.Id)] = device.Name;
            _volumeOrder.Add(device.Name);
        }

        private void AddPartitions(StorageDevice device)
        {
            var partitions = model.PartitionsOf(device.Id).ToList();
            var first = true;
            JsonObject Partition(int number, long size, string? flag)
            {
                var entry = new JsonObject
                {
                    ["id"] = $"{device.Name}-part{number}",
                    ["type"] = "partition",
                    ["number"] = number,
                    ["size"] = Bytes(size),
                    ["device"] = device.Name,
                    ["wipe"] = "superblock",
                };
                if (first)
                    entry["offset"] = Bytes(PartitionTables.InitialOffset);
                if (flag is not null)
                    entry["flag"] = flag;
                first = false;
                _entries.Add(entry);
                return entry;
            }

            if (PartitionTables.LeadingPartitionFlag(model, device) is { } leading)
                Partition(1, PartitionTables.LeadingPartitionSize(leading), leading);
            var mbrExtended = device.PartitionTableType == PartitionTables.Mbr && partitions.Count > 4;
            foreach (var partition in partitions)
            {
                var number = PartitionTables.Number(model, partition);
                if (mbrExtended && partition.Ordinal == 4)
                {
                    // The extended partition holds the logical ones, each behind its 1 MiB EBR.
                    var logical = partitions.Where(p => p.Ordinal >= 4).ToList();
                    Partition(4, logical.Sum(p => p.Size) + (logical.Count * StorageSizes.MiB), "extended");
                }

                var flag = mbrExtended && partition.Ordinal >= 4 ? "logical" : partition.Bootable ? "boot" : null;
                var id = Partition(number, partition.Size, flag)["id"]!.GetValue<string>();
                _volumeIds[(true, partition.Id)] = id;
                _volumeOrder.Add(id);
            }
        }

        private string? VolumeId(StorageFilesystem fs) =>
            fs.DeviceId is { } d ? _volumeIds.GetValueOrDefault((false, d)) : fs.PartitionId is { } p ? _volumeIds.GetValueOrDefault((true, p)) : null;

        private void AddGroups()
        {
            var pending = model.Groups.OrderBy(g => g.Id < 0 ? long.MaxValue + g.Id : g.Id).ToList();
            while (pending.Count > 0)
            {
                var ready = pending.FirstOrDefault(IsReady)
                    ?? throw new InvalidOperationException("Storage groups depend on each other in a cycle.");
                pending.Remove(ready);
                var members = model.Members(ready).ToList();
                if (ready.IsLvm)
                {
                    _entries.Add(new JsonObject
                    {
                        ["id"] = ready.Name,
                        ["name"] = ready.Name,
                        ["type"] = "lvm_volgroup",
                        ["uuid"] = ready.Uuid,
                        ["devices"] = Ids(members),
                    });
                    foreach (var lv in model.VirtualDevicesOf(ready))
                    {
                        Add(new JsonObject
                        {
                            ["id"] = lv.Name,
                            ["name"] = lv.Name[(ready.Name.Length + 1)..],
                            ["type"] = "lvm_partition",
                            ["volgroup"] = ready.Name,
                            ["size"] = Bytes(lv.Size),
                        }, lv);
                    }

                    continue;
                }

                var device = model.VirtualDevicesOf(ready).Single();
                JsonObject entry;
                if (ready.IsRaid)
                {
                    entry = new JsonObject
                    {
                        ["id"] = device.Name,
                        ["name"] = device.Name,
                        ["type"] = "raid",
                        ["raidlevel"] = int.Parse(ready.GroupType["raid-".Length..], CultureInfo.InvariantCulture),
                        ["devices"] = Ids(members.Where(m => m.FsType == FsTypes.Raid)),
                        ["spare_devices"] = Ids(members.Where(m => m.FsType == FsTypes.RaidSpare)),
                    };
                }
                else
                {
                    var cacheMember = model.Filesystems.First(f => f.CacheSetId == ready.CacheSetId);
                    entry = new JsonObject
                    {
                        ["id"] = device.Name,
                        ["name"] = device.Name,
                        ["type"] = "bcache",
                        ["backing_device"] = VolumeId(members.Single(m => m.FsType == FsTypes.BcacheBacking)),
                        ["cache_device"] = VolumeId(cacheMember),
                        ["cache_mode"] = ready.CacheMode,
                    };
                }

                if (device.PartitionTableType is { } table)
                    entry["ptable"] = table == PartitionTables.Mbr ? "msdos" : "gpt";
                Add(entry, device);
                AddPartitions(device);
            }
        }

        private bool IsReady(StorageGroup group)
        {
            var needed = model.Members(group).ToList();
            if (group.CacheSetId is { } cacheSetId)
                needed.AddRange(model.Filesystems.Where(f => f.CacheSetId == cacheSetId));
            return needed.All(m => VolumeId(m) is not null);
        }

        private JsonArray Ids(IEnumerable<StorageFilesystem> members) => [.. members.Select(m => (JsonNode?)VolumeId(m))];

        private void AddFormats()
        {
            var formatted = model.Filesystems
                .Where(f => !f.IsSpecial && !FsTypes.IsMembership(f.FsType) && VolumeId(f) is not null)
                .OrderBy(f => _volumeOrder.IndexOf(VolumeId(f)!));
            foreach (var fs in formatted)
            {
                var volume = VolumeId(fs)!;
                var entry = new JsonObject
                {
                    ["id"] = $"{volume}_format",
                    ["type"] = "format",
                    ["fstype"] = fs.FsType,
                    ["volume"] = volume,
                };
                if (fs.Label is not null)
                    entry["label"] = fs.Label;
                if (fs.Uuid is not null)
                    entry["uuid"] = fs.Uuid;
                _entries.Add(entry);
            }
        }

        private void AddMounts()
        {
            // Parents first: "/" before "/boot" before "/boot/efi"; swap ("none") last.
            var mounted = model.Filesystems
                .Where(f => f.IsMounted && (f.IsSpecial || VolumeId(f) is not null))
                .OrderBy(f => f.MountPoint == "none" ? 1 : 0)
                .ThenBy(f => f.MountPoint!.TrimEnd('/').Count(c => c == '/'))
                .ThenBy(f => f.MountPoint, StringComparer.Ordinal);
            var special = 0;
            foreach (var fs in mounted)
            {
                JsonObject entry;
                if (fs.IsSpecial)
                {
                    entry = new JsonObject
                    {
                        ["id"] = $"{fs.FsType}{special++}_mount",
                        ["type"] = "mount",
                        ["fstype"] = fs.FsType,
                        ["spec"] = fs.FsType,
                        ["path"] = fs.MountPoint,
                    };
                }
                else
                {
                    var volume = VolumeId(fs)!;
                    entry = new JsonObject
                    {
                        ["id"] = $"{volume}_mount",
                        ["type"] = "mount",
                        ["device"] = $"{volume}_format",
                        ["path"] = fs.MountPoint,
                    };
                }

                if (fs.MountOptions is not null)
                    entry["options"] = fs.MountOptions;
                _entries.Add(entry);
            }
        }
    }
}

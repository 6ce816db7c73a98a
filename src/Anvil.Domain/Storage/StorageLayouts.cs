using System.Globalization;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Storage;

/// <summary>
/// MAAS's storage layouts (maas-api.md §14.1): each replaces a node's storage configuration with a
/// bootable one on its boot disk. <c>flat</c>: (EFI) + optional /boot + root ext4 on <c>/</c>;
/// <c>lvm</c>: the root partition is a physical volume of <c>vgroot</c> with <c>lvroot</c> on <c>/</c>;
/// <c>bcache</c>: the root partition backs <c>bcache0</c>, cached by an SSD; <c>blank</c>: nothing.
/// </summary>
public static class StorageLayouts
{
    public const string Flat = "flat";
    public const string Lvm = "lvm";
    public const string Bcache = "bcache";
    public const string Blank = "blank";
    public const string Custom = "custom";

    public static readonly string[] Names = [Flat, Lvm, Bcache, "vmfs6", "vmfs7", Custom, Blank];

    public const long EfiPartitionSize = 512 * StorageSizes.MiB;
    public const long MinBootPartitionSize = 512 * StorageSizes.MiB;
    public const long MinRootSize = 3 * StorageSizes.GiB;
    public const string MissingBootDisk = "Machine is missing a boot disk; no storage layout can be applied.";

    /// <summary>
    /// Replaces <paramref name="model"/>'s configuration with <paramref name="options"/>'s layout.
    /// Throws <see cref="ValidationException"/> for bad parameters and <see cref="BadRequestException"/>
    /// for a layout that cannot apply; the model is only changed when the layout succeeds.
    /// </summary>
    public static void Apply(StorageModel model, StorageLayoutOptions options)
    {
        switch (options.Layout)
        {
            case "vmfs6" or "vmfs7":
                throw new BadRequestException($"Storage layout '{options.Layout}' (VMware ESXi) is not supported by Anvil.");
            case Custom:
                throw new BadRequestException("No custom storage layout configuration found");
            case Blank:
                model.ClearConfiguration();
                return;
            case Flat or Lvm or Bcache:
                break;
            default:
                throw new ValidationException("storage_layout", StorageEditor.InvalidChoice(options.Layout));
        }

        var boot = model.BootDisk ?? throw new BadRequestException(MissingBootDisk);
        var root = options.RootDevice is { Length: > 0 } rootId
            ? model.PhysicalDevices.FirstOrDefault(d => d.Id.ToString(CultureInfo.InvariantCulture) == rootId) ?? throw new ValidationException("root_device", StorageEditor.InvalidChoice(rootId))
            : boot;
        var cache = options.Layout == Bcache ? CacheDevice(model, boot, root, options) : null;

        // Plan on a copy of the disks so that a refusal leaves the model as it was.
        var plan = new StorageModel
        {
            NodeId = model.NodeId,
            SystemId = model.SystemId,
            Architecture = model.Architecture,
            Uefi = model.Uefi,
            Devices = [.. model.PhysicalDevices.Select(Copy)],
        };
        Build(plan, plan.Device(boot.Id), plan.Device(root.Id), cache is null ? null : plan.Device(cache.Id), options);
        model.ClearConfiguration();
        foreach (var device in model.Devices)
            device.PartitionTableType = plan.Device(device.Id).PartitionTableType;
        model.Devices.AddRange(plan.Devices.Where(d => d.IsVirtual));
        model.Partitions.AddRange(plan.Partitions);
        model.Filesystems.AddRange(plan.Filesystems);
        model.Groups.AddRange(plan.Groups);
        model.CacheSets.AddRange(plan.CacheSets);
        model.RefreshVirtualSizes();
        RenumberNewIds(model);
    }

    private static void Build(StorageModel plan, StorageDevice boot, StorageDevice root, StorageDevice? cache, StorageLayoutOptions options)
    {
        boot.PartitionTableType = PartitionTables.Gpt;
        if (plan.Uefi && !plan.Architecture.StartsWith("ppc64el", StringComparison.Ordinal))
            Mounted(plan, StorageEditor.CreatePartition(plan, boot, EfiPartitionSize, null, bootable: true), "fat32", "efi", "/boot/efi");

        var bootSize = StorageSizes.Parse("boot_size", options.BootSize, boot.Size);
        var arm64Bios = !plan.Uefi && plan.Architecture.StartsWith("arm64", StringComparison.Ordinal);
        if (bootSize is not null || arm64Bios)
        {
            var size = bootSize ?? MinBootPartitionSize;
            CheckRange("boot_size", size, MinBootPartitionSize, PartitionTables.Available(plan, boot) - MinRootSize);
            Mounted(plan, StorageEditor.CreatePartition(plan, boot, size, null, bootable: false), "ext4", "boot", "/boot");
        }

        root.PartitionTableType = PartitionTables.Gpt;
        var rootAvailable = PartitionTables.Available(plan, root);
        var rootSize = StorageSizes.Parse("root_size", options.RootSize, root.Size);
        CheckRange("root_size", rootSize ?? rootAvailable, MinRootSize, rootAvailable);
        var rootPartition = StorageEditor.CreatePartition(plan, root, rootSize, null, bootable: false);

        switch (options.Layout)
        {
            case Lvm:
                var vg = StorageEditor.CreateVolumeGroup(plan, string.IsNullOrEmpty(options.VgName) ? "vgroot" : options.VgName, null, [StorageVolume.Of(rootPartition)]);
                var vgSize = plan.GroupSize(vg);
                var lvSize = StorageSizes.Parse("lv_size", options.LvSize, vgSize);
                CheckRange("lv_size", lvSize ?? vgSize, MinRootSize, vgSize);
                var lv = StorageEditor.CreateLogicalVolume(plan, vg, string.IsNullOrEmpty(options.LvName) ? "lvroot" : options.LvName, null, lvSize);
                Mounted(plan, StorageEditor.Format(plan, lv, null, "ext4", null, "root"), "/");
                break;
            case Bcache when cache is not null:
                StorageVolume cacheVolume;
                if (options.CacheNoPart)
                {
                    cacheVolume = StorageVolume.Of(cache);
                }
                else
                {
                    cache.PartitionTableType = PartitionTables.Gpt;
                    var cacheAvailable = PartitionTables.Available(plan, cache);
                    var cacheSize = StorageSizes.Parse("cache_size", options.CacheSize, cache.Size);
                    CheckRange("cache_size", cacheSize ?? cacheAvailable, PartitionTables.MinPartitionSize, cacheAvailable);
                    cacheVolume = StorageVolume.Of(StorageEditor.CreatePartition(plan, cache, cacheSize, null, bootable: false));
                }

                var cacheSet = StorageEditor.CreateCacheSet(plan, cacheVolume);
                var bcache = StorageEditor.CreateBcache(plan, "bcache0", null, cacheSet, StorageVolume.Of(rootPartition), string.IsNullOrEmpty(options.CacheMode) ? CacheModes.Writethrough : options.CacheMode);
                Mounted(plan, StorageEditor.Format(plan, plan.VirtualDevicesOf(bcache).Single(), null, "ext4", null, "root"), "/");
                break;
            default:
                Mounted(plan, rootPartition, "ext4", "root", "/");
                break;
        }
    }

    /// <summary>The bcache cache disk: the one asked for, else the smallest other disk tagged ssd; null means fall back to flat.</summary>
    private static StorageDevice? CacheDevice(StorageModel model, StorageDevice boot, StorageDevice root, StorageLayoutOptions options)
    {
        if (options.CacheMode is { Length: > 0 } mode && !CacheModes.All.Contains(mode, StringComparer.Ordinal))
            throw new ValidationException("cache_mode", StorageEditor.InvalidChoice(mode));
        if (options.CacheDevice is { Length: > 0 } id)
        {
            return model.PhysicalDevices.FirstOrDefault(d => d.Id.ToString(CultureInfo.InvariantCulture) == id && d.Id != boot.Id && d.Id != root.Id)
                ?? throw new ValidationException("cache_device", StorageEditor.InvalidChoice(id));
        }

        return model.PhysicalDevices
            .Where(d => d.Id != boot.Id && d.Id != root.Id && d.Tags.Contains("ssd", StringComparer.Ordinal))
            .OrderBy(d => d.Size).ThenBy(d => d.Id)
            .FirstOrDefault();
    }

    private static void Mounted(StorageModel plan, StoragePartition partition, string fstype, string label, string mountPoint) =>
        Mounted(plan, StorageEditor.Format(plan, null, partition, fstype, null, label), mountPoint);

    private static void Mounted(StorageModel plan, StorageFilesystem fs, string mountPoint) => StorageEditor.Mount(plan, fs, mountPoint, null);

    private static void CheckRange(string field, long size, long min, long max)
    {
        if (size < min)
            throw new ValidationException(field, $"Size is too small. Minimum size is {min}.");
        if (size > max)
            throw new ValidationException(field, $"Size is too large. Maximum size is {max}.");
    }

    private static StorageDevice Copy(StorageDevice d) => new()
    {
        Id = d.Id,
        Name = d.Name,
        Model = d.Model,
        Serial = d.Serial,
        IdPath = d.IdPath,
        Size = d.Size,
        BlockSize = d.BlockSize,
        Tags = [.. d.Tags],
        IsBootDisk = d.IsBootDisk,
        Uuid = d.Uuid,
        FirmwareVersion = d.FirmwareVersion,
        NumaNode = d.NumaNode,
    };

    /// <summary>Gives the plan's new entities ids from the model's own sequence (the plan had its own), so later edits never collide with them.</summary>
    private static void RenumberNewIds(StorageModel model)
    {
        // The plan drew every id from one sequence, so one map serves every kind of entity.
        var map = new Dictionary<long, long>();
        long Map(long id) => id >= 0 ? id : map.TryGetValue(id, out var mapped) ? mapped : map[id] = model.NewId();
        long? MapNullable(long? id) => id is { } v ? Map(v) : null;

        foreach (var group in model.Groups)
        {
            group.Id = Map(group.Id);
            group.CacheSetId = MapNullable(group.CacheSetId);
        }

        foreach (var cacheSet in model.CacheSets)
            cacheSet.Id = Map(cacheSet.Id);
        foreach (var device in model.Devices)
        {
            device.Id = Map(device.Id);
            device.GroupId = MapNullable(device.GroupId);
        }

        foreach (var partition in model.Partitions)
        {
            partition.Id = Map(partition.Id);
            partition.DeviceId = Map(partition.DeviceId);
        }

        foreach (var fs in model.Filesystems)
        {
            fs.Id = Map(fs.Id);
            fs.DeviceId = MapNullable(fs.DeviceId);
            fs.PartitionId = MapNullable(fs.PartitionId);
            fs.GroupId = MapNullable(fs.GroupId);
            fs.CacheSetId = MapNullable(fs.CacheSetId);
        }
    }
}

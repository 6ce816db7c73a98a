using Anvil.Domain.Errors;

namespace Anvil.Domain.Storage;

/// <summary>
/// The storage operations of the MAAS API (maas-api.md §3.9) on an in-memory <see cref="StorageModel"/>,
/// with MAAS's validation: partitions, file systems and mounts. Groups are in the other parts.
/// Callers have checked the machine's state and the caller's permission.
/// </summary>
public static partial class StorageEditor
{
    public const string AllFields = "__all__";

    public static ValidationException Invalid(string field, string message) => new(field, message);

    /// <summary>Django's message for an id that names nothing usable.</summary>
    public static string InvalidChoice(string value) => $"Select a valid choice. {value} is not one of the available choices.";

    public static StoragePartition CreatePartition(StorageModel model, StorageDevice device, long? size, string? uuid, bool bootable)
    {
        if (model.FilesystemOnDevice(device.Id) is not null)
            throw Invalid(AllFields, "Cannot create a partition on a block device that is formatted or in use.");
        var table = device.PartitionTableType;
        device.PartitionTableType ??= PartitionTables.Gpt;
        var available = PartitionTables.Available(model, device);
        var wanted = size is { } s ? StorageSizes.AlignDown(s, PartitionTables.Alignment) : available;
        if (size is < PartitionTables.MinPartitionSize || wanted < PartitionTables.MinPartitionSize)
        {
            device.PartitionTableType = table;
            throw Invalid("size", size is null
                ? "Partition cannot be saved; not enough free space on the block device."
                : $"Ensure this value is greater than or equal to {PartitionTables.MinPartitionSize}.");
        }

        if (wanted > available)
        {
            device.PartitionTableType = table;
            throw Invalid("size", $"Partition cannot be saved; not enough free space on the block device ({available} bytes available).");
        }

        var partition = new StoragePartition
        {
            Id = model.NewId(),
            DeviceId = device.Id,
            Ordinal = model.PartitionsOf(device.Id).Count() + 1,
            Size = wanted,
            Uuid = CheckUuid("uuid", uuid) ?? Guid.NewGuid().ToString(),
            Bootable = bootable,
        };
        model.Partitions.Add(partition);
        return partition;
    }

    public static void DeletePartition(StorageModel model, StoragePartition partition)
    {
        if (model.FilesystemOnPartition(partition.Id) is { } fs && (fs.GroupId is not null || fs.CacheSetId is not null))
            throw new BadRequestException($"Cannot delete partition because it is part of a {NiceNameOf(model, fs)}.");
        model.RemovePartition(partition);
        var device = model.Device(partition.DeviceId);
        if (!model.PartitionsOf(device.Id).Any())
            device.PartitionTableType = null;
    }

    /// <summary>Formats a device or a partition (exactly one is given), replacing an unmounted, ungrouped file system.</summary>
    public static StorageFilesystem Format(StorageModel model, StorageDevice? device, StoragePartition? partition, string fstype, string? uuid, string? label)
    {
        if (!FsTypes.Formattable.Contains(fstype, StringComparer.Ordinal))
            throw Invalid("fstype", InvalidChoice(fstype));
        if (device is not null && (device.PartitionTableType is not null || model.PartitionsOf(device.Id).Any()))
            throw Invalid(AllFields, "Cannot format block device with a partition table.");
        var current = device is not null ? model.FilesystemOnDevice(device.Id) : model.FilesystemOnPartition(partition!.Id);
        if (current is not null && (current.GroupId is not null || current.CacheSetId is not null))
            throw Invalid(AllFields, $"Cannot format; it is part of a {NiceNameOf(model, current)}.");
        if (current is not null)
            model.Filesystems.Remove(current);
        var fs = new StorageFilesystem
        {
            Id = model.NewId(),
            DeviceId = device?.Id,
            PartitionId = partition?.Id,
            FsType = fstype,
            Uuid = CheckUuid("uuid", uuid) ?? Guid.NewGuid().ToString(),
            Label = string.IsNullOrEmpty(label) ? null : label,
        };
        model.Filesystems.Add(fs);
        return fs;
    }

    /// <summary>Removes the file system; <paramref name="what"/> is "block device" or "partition" for MAAS's messages.</summary>
    public static void Unformat(StorageModel model, StorageFilesystem? fs, string what)
    {
        if (fs is null)
            throw new BadRequestException($"{Capital(what)} is not formatted.");
        if (fs.IsMounted)
            throw new BadRequestException($"Filesystem is mounted and cannot be unformatted. Unmount the filesystem before unformatting the {what}.");
        if (fs.GroupId is not null || fs.CacheSetId is not null)
        {
            var nice = NiceNameOf(model, fs);
            throw new BadRequestException($"Filesystem is part of a {nice}, and cannot be unformatted. Remove {what} from {nice} before unformatting the {what}.");
        }

        model.Filesystems.Remove(fs);
    }

    public static void Mount(StorageModel model, StorageFilesystem? fs, string? mountPoint, string? mountOptions)
    {
        if (fs is null || FsTypes.IsMembership(fs.FsType))
            throw Invalid(AllFields, "Cannot mount an unformatted partition or block device.");
        if (fs.FsType == FsTypes.Swap)
        {
            mountPoint = "none";
        }
        else
        {
            if (string.IsNullOrWhiteSpace(mountPoint))
                throw Invalid("mount_point", "This field is required.");
            if (!mountPoint.StartsWith('/'))
                throw Invalid("mount_point", "Enter a valid absolute path.");
            if (model.Filesystems.Any(f => f != fs && f.MountPoint == mountPoint))
                throw Invalid("mount_point", $"Another filesystem is already mounted at {mountPoint}.");
        }

        fs.MountPoint = mountPoint;
        fs.MountOptions = string.IsNullOrEmpty(mountOptions) ? null : mountOptions;
    }

    public static void Unmount(StorageFilesystem? fs, string what)
    {
        if (fs is null)
            throw new BadRequestException($"{Capital(what)} is not formatted.");
        if (!fs.IsMounted)
            throw new BadRequestException("Filesystem is already unmounted.");
        fs.MountPoint = null;
        fs.MountOptions = null;
    }

    internal static string? CheckUuid(string field, string? uuid)
    {
        if (string.IsNullOrEmpty(uuid))
            return null;
        return Guid.TryParse(uuid, out var parsed) ? parsed.ToString() : throw Invalid(field, "Enter a valid UUID.");
    }

    private static string NiceNameOf(StorageModel model, StorageFilesystem fs) =>
        fs.GroupId is { } g ? GroupTypes.NiceName(model.Group(g).GroupType) : "cache set";

    private static string Capital(string what) => char.ToUpperInvariant(what[0]) + what[1..];
}

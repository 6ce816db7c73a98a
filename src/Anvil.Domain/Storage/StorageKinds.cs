namespace Anvil.Domain.Storage;

/// <summary>MAAS FILESYSTEM_TYPE values.</summary>
public static class FsTypes
{
    public const string LvmPv = "lvm-pv";
    public const string Raid = "raid";
    public const string RaidSpare = "raid-spare";
    public const string BcacheCache = "bcache-cache";
    public const string BcacheBacking = "bcache-backing";
    public const string Swap = "swap";
    public const string Tmpfs = "tmpfs";
    public const string Ramfs = "ramfs";

    /// <summary>What <c>format</c> accepts on a device or partition (ramfs/tmpfs live on the node, vmfs6 is not supported).</summary>
    public static readonly string[] Formattable = ["ext2", "ext4", "xfs", "fat32", "vfat", "swap", "btrfs", "zfsroot"];

    public static readonly string[] Special = [Tmpfs, Ramfs];

    /// <summary>File systems that make a device a member of something instead of holding files.</summary>
    public static bool IsMembership(string fstype) => fstype is LvmPv or Raid or RaidSpare or BcacheCache or BcacheBacking;
}

/// <summary>MAAS FILESYSTEM_GROUP_TYPE values (vmfs6 is not supported).</summary>
public static class GroupTypes
{
    public const string LvmVg = "lvm-vg";
    public const string Raid0 = "raid-0";
    public const string Raid1 = "raid-1";
    public const string Raid5 = "raid-5";
    public const string Raid6 = "raid-6";
    public const string Raid10 = "raid-10";
    public const string Bcache = "bcache";

    public static readonly string[] RaidLevels = [Raid0, Raid1, Raid5, Raid6, Raid10];

    public static bool IsRaid(string groupType) => RaidLevels.Contains(groupType, StringComparer.Ordinal);

    /// <summary>The name MAAS uses in messages ("volume group", "RAID", "Bcache").</summary>
    public static string NiceName(string groupType) => groupType switch
    {
        LvmVg => "volume group",
        Bcache => "Bcache",
        _ => "RAID",
    };
}

/// <summary>bcache cache modes.</summary>
public static class CacheModes
{
    public const string Writeback = "writeback";
    public const string Writethrough = "writethrough";
    public const string Writearound = "writearound";

    public static readonly string[] All = [Writeback, Writethrough, Writearound];
}

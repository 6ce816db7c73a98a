namespace Anvil.Domain.Storage;

/// <summary>Sizes of RAIDs and volume groups, and the member counts each RAID level needs.</summary>
public static class RaidMath
{
    /// <summary>mdadm's superblock at most.</summary>
    public const long SuperblockOverhead = 128 * StorageSizes.KiB;

    /// <summary>LVM physical extent.</summary>
    public const long LvmExtent = 4 * StorageSizes.MiB;

    /// <summary>The usable size of a RAID of <paramref name="level"/> over active members of the given sizes (spares add nothing).</summary>
    public static long RaidSize(string level, IReadOnlyList<long> activeSizes)
    {
        if (activeSizes.Count == 0)
            return 0;
        var smallest = activeSizes.Min();
        var n = activeSizes.Count;
        return level switch
        {
            GroupTypes.Raid0 => activeSizes.Sum() - (SuperblockOverhead * n),
            GroupTypes.Raid1 => smallest - SuperblockOverhead,
            GroupTypes.Raid5 => (smallest * (n - 1)) - SuperblockOverhead,
            GroupTypes.Raid6 => (smallest * (n - 2)) - SuperblockOverhead,
            GroupTypes.Raid10 => (smallest * n / 2) - SuperblockOverhead,
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Not a RAID level."),
        };
    }

    /// <summary>MAAS's refusal for too few (or, on RAID 0, any spare) members; null when the counts are fine.</summary>
    public static string? MemberCountError(string level, int active, int spares) => level switch
    {
        GroupTypes.Raid0 when active < 2 || spares != 0 => "RAID level 0 must have at least 2 raid devices and no spares.",
        GroupTypes.Raid1 when active < 2 => "RAID level 1 must have at least 2 raid devices and any number of spares.",
        GroupTypes.Raid5 when active < 3 => "RAID level 5 must have at least 3 raid devices and any number of spares.",
        GroupTypes.Raid6 when active < 4 => "RAID level 6 must have at least 4 raid devices and any number of spares.",
        GroupTypes.Raid10 when active < 3 => "RAID level 10 must have at least 3 raid devices and any number of spares.",
        _ => null,
    };

    /// <summary>A volume group's size: whole extents of its physical volumes, less one extent per volume for LVM's headers.</summary>
    public static long VolumeGroupSize(IReadOnlyList<long> physicalVolumeSizes)
    {
        if (physicalVolumeSizes.Count == 0)
            return 0;
        var extents = physicalVolumeSizes.Sum() / LvmExtent;
        return Math.Max(0, (extents - physicalVolumeSizes.Count) * LvmExtent);
    }
}

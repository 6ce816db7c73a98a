using Anvil.Domain.Storage;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Storage;

public sealed class RaidMathTests
{
    private const long Overhead = RaidMath.SuperblockOverhead;

    [Theory]
    [InlineData("raid-0", new long[] { 100, 200 }, 300)]
    [InlineData("raid-1", new long[] { 100, 200 }, 100)]
    [InlineData("raid-5", new long[] { 100, 200, 300 }, 200)]
    [InlineData("raid-6", new long[] { 100, 100, 100, 100 }, 200)]
    [InlineData("raid-10", new long[] { 100, 100, 100, 100 }, 200)]
    [InlineData("raid-10", new long[] { 100, 100, 100 }, 150)]
    public void RaidSize_follows_the_level_using_the_smallest_member(string level, long[] sizesInMiB, long expectedMiB)
    {
        var sizes = sizesInMiB.Select(s => s * StorageSizes.MiB).ToList();
        var overhead = level == "raid-0" ? Overhead * sizes.Count : Overhead;

        RaidMath.RaidSize(level, sizes).ShouldBe((expectedMiB * StorageSizes.MiB) - overhead);
    }

    [Theory]
    [InlineData("raid-0", 1, 0, "RAID level 0 must have at least 2 raid devices and no spares.")]
    [InlineData("raid-0", 2, 1, "RAID level 0 must have at least 2 raid devices and no spares.")]
    [InlineData("raid-1", 1, 3, "RAID level 1 must have at least 2 raid devices and any number of spares.")]
    [InlineData("raid-5", 2, 1, "RAID level 5 must have at least 3 raid devices and any number of spares.")]
    [InlineData("raid-6", 3, 0, "RAID level 6 must have at least 4 raid devices and any number of spares.")]
    [InlineData("raid-10", 2, 0, "RAID level 10 must have at least 3 raid devices and any number of spares.")]
    public void MemberCountError_refuses_too_few_members_with_MAAS_text(string level, int active, int spares, string message) =>
        RaidMath.MemberCountError(level, active, spares).ShouldBe(message);

    [Theory]
    [InlineData("raid-0", 2, 0)]
    [InlineData("raid-1", 2, 2)]
    [InlineData("raid-5", 3, 1)]
    [InlineData("raid-6", 4, 0)]
    [InlineData("raid-10", 3, 2)]
    public void MemberCountError_accepts_enough_members(string level, int active, int spares) =>
        RaidMath.MemberCountError(level, active, spares).ShouldBeNull();

    [Fact]
    public void VolumeGroupSize_counts_whole_extents_less_one_per_physical_volume()
    {
        var extent = RaidMath.LvmExtent;
        RaidMath.VolumeGroupSize([(10 * extent) + 5, 10 * extent]).ShouldBe(18 * extent);
        RaidMath.VolumeGroupSize([]).ShouldBe(0);
    }
}

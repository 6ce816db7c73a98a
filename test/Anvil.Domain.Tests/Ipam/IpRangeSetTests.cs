using Anvil.Domain.Ipam;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Ipam;

public sealed class IpRangeSetTests
{
    [Fact]
    public void Of_merges_overlapping_and_touching_ranges_in_any_order()
    {
        var set = V4Set("10.0.0.20-10.0.0.30", "10.0.0.1-10.0.0.5", "10.0.0.6-10.0.0.9", "10.0.0.25-10.0.0.40");

        set.ToString().ShouldBe("10.0.0.1-10.0.0.9, 10.0.0.20-10.0.0.40");
        set.Count.ShouldBe((UInt128)30);
    }

    [Fact]
    public void Subtract_cuts_holes_and_trims_ends()
    {
        var set = V4Set("10.0.0.1-10.0.0.100");

        var rest = set.Subtract(V4Set("10.0.0.1", "10.0.0.10-10.0.0.19", "10.0.0.50", "10.0.0.90-10.0.0.200"));

        rest.ToString().ShouldBe("10.0.0.2-10.0.0.9, 10.0.0.20-10.0.0.49, 10.0.0.51-10.0.0.89");
    }

    [Fact]
    public void Subtract_with_one_removed_range_spanning_several_ranges()
    {
        var set = V4Set("10.0.0.1-10.0.0.5", "10.0.0.10-10.0.0.15", "10.0.0.20-10.0.0.25");

        set.Subtract(V4Set("10.0.0.3-10.0.0.21")).ToString().ShouldBe("10.0.0.1-10.0.0.2, 10.0.0.22-10.0.0.25");
    }

    [Fact]
    public void Subtract_everything_leaves_an_empty_set()
    {
        var set = V4Set("10.0.0.1-10.0.0.5");

        var rest = set.Subtract(V4Set("10.0.0.0-10.0.0.255"));

        rest.IsEmpty.ShouldBeTrue();
        rest.Count.ShouldBe(UInt128.Zero);
    }

    [Fact]
    public void An_ipv6_64_minus_a_few_addresses_is_counted_exactly()
    {
        var subnet = IpRangeSet.Of(IpNetwork.Parse("2001:db8::/64").All);

        var rest = subnet.Subtract(IpRangeSet.Of(IpFamily.V6, [Range("2001:db8::"), Range("2001:db8::100-2001:db8::1ff")]));

        rest.Count.ShouldBe(((UInt128)1 << 64) - 1 - 256);
        rest.Ranges.Count.ShouldBe(2);
        rest.Contains(IpAddress.Parse("2001:db8::ffff:ffff:ffff:ffff")).ShouldBeTrue();
        rest.Contains(IpAddress.Parse("2001:db8::150")).ShouldBeFalse();
    }

    [Fact]
    public void Ranges_at_the_top_of_the_ipv6_space_merge_without_overflow()
    {
        var set = IpRangeSet.Of(IpFamily.V6, [Range("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), Range("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff5")]);

        set.Ranges.Count.ShouldBe(1);
        set.Subtract(set).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Sets_of_different_families_do_not_combine()
    {
        Should.Throw<ArgumentException>(() => IpRangeSet.Empty(IpFamily.V4).Union(IpRangeSet.Empty(IpFamily.V6)));
        Should.Throw<ArgumentException>(() => IpRangeSet.Of(IpFamily.V4, [Range("::1")]));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Union_subtract_count_and_contains_agree_with_enumeration(int seed)
    {
        var random = new Random(seed);
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            // A 256-address universe high in the family's space, so values use the upper bits.
            var baseValue = family == IpFamily.V4 ? (UInt128)0xC0A80000u : new UInt128(0x20010db8_00000000, 0xffff_0000_0000_0000);
            var (a, aBits) = RandomSet(random, family, baseValue);
            var (b, bBits) = RandomSet(random, family, baseValue);

            AssertSame(a.Union(b), family, baseValue, i => aBits[i] || bBits[i]);
            AssertSame(a.Subtract(b), family, baseValue, i => aBits[i] && !bBits[i]);
        }
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 200; seed++)
            data.Add(seed);
        return data;
    }

    private static (IpRangeSet Set, bool[] Bits) RandomSet(Random random, IpFamily family, UInt128 baseValue)
    {
        var bits = new bool[256];
        var ranges = new List<IpRange>();
        for (var n = random.Next(0, 8); n > 0; n--)
        {
            var first = random.Next(0, 256);
            var last = Math.Min(255, first + random.Next(0, random.Next(1, 64)));
            ranges.Add(new IpRange(new IpAddress(baseValue + (UInt128)first, family), new IpAddress(baseValue + (UInt128)last, family)));
            for (var i = first; i <= last; i++)
                bits[i] = true;
        }

        return (IpRangeSet.Of(family, ranges), bits);
    }

    private static void AssertSame(IpRangeSet set, IpFamily family, UInt128 baseValue, Func<int, bool> expected)
    {
        var count = 0;
        for (var i = 0; i < 256; i++)
        {
            var inSet = expected(i);
            if (inSet)
                count++;
            set.Contains(new IpAddress(baseValue + (UInt128)i, family)).ShouldBe(inSet, $"address {i} of {set}");
        }

        set.Count.ShouldBe((UInt128)count);
        var ranges = set.Ranges;
        for (var i = 1; i < ranges.Count; i++)
            (ranges[i].First.Value > ranges[i - 1].Last.Value + 1).ShouldBeTrue($"{set} is not disjoint and non-adjacent");
    }

    internal static IpRange Range(string text)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? IpRange.Single(IpAddress.Parse(text))
            : new IpRange(IpAddress.Parse(text[..dash]), IpAddress.Parse(text[(dash + 1)..]));
    }

    internal static IpRangeSet V4Set(params string[] ranges) => IpRangeSet.Of(IpFamily.V4, ranges.Select(Range));
}

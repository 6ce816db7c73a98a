using Anvil.Domain.Ipam;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Ipam.IpRangeSetTests;

namespace Anvil.Domain.Tests.Ipam;

public sealed class AddressChooserTests
{
    [Fact]
    public void Picks_from_the_start_of_the_smallest_free_range()
    {
        var free = V4Set("10.0.0.10-10.0.0.99", "10.0.0.150-10.0.0.152", "10.0.0.200-10.0.0.209");

        AddressChooser.Pick(free, 1).ShouldBe([IpAddress.Parse("10.0.0.150")]);
    }

    [Fact]
    public void Ties_between_equal_ranges_go_to_the_lower_one()
    {
        var free = V4Set("10.0.0.50-10.0.0.52", "10.0.0.10-10.0.0.12");

        AddressChooser.Pick(free, 1).ShouldBe([IpAddress.Parse("10.0.0.10")]);
    }

    [Fact]
    public void A_bulk_pick_continues_into_the_next_smallest_range()
    {
        var free = V4Set("10.0.0.10-10.0.0.99", "10.0.0.150-10.0.0.152", "10.0.0.200-10.0.0.204");

        var picked = AddressChooser.Pick(free, 10).Select(a => a.ToString());

        picked.ShouldBe([
            "10.0.0.150", "10.0.0.151", "10.0.0.152",
            "10.0.0.200", "10.0.0.201", "10.0.0.202", "10.0.0.203", "10.0.0.204",
            "10.0.0.10", "10.0.0.11",
        ]);
    }

    [Fact]
    public void Returns_fewer_when_the_set_holds_fewer()
    {
        AddressChooser.Pick(V4Set("10.0.0.1-10.0.0.3"), 10).Count.ShouldBe(3);
        AddressChooser.Pick(IpRangeSet.Empty(IpFamily.V4), 10).ShouldBeEmpty();
    }

    [Fact]
    public void Skip_rotates_the_smallest_first_order_so_the_skipped_addresses_come_last()
    {
        // Smallest first: .30-.31, then .10-.12, then .20-.24.
        var free = V4Set("10.0.0.10-10.0.0.12", "10.0.0.20-10.0.0.24", "10.0.0.30-10.0.0.31");

        var picked = AddressChooser.Pick(free, 10, skip: 3).Select(a => a.ToString());

        picked.ShouldBe(["10.0.0.11", "10.0.0.12", "10.0.0.20", "10.0.0.21", "10.0.0.22", "10.0.0.23", "10.0.0.24", "10.0.0.30", "10.0.0.31", "10.0.0.10"]);
    }

    [Fact]
    public void Skip_wraps_around_the_whole_set()
    {
        var free = V4Set("10.0.0.10-10.0.0.14", "10.0.0.20-10.0.0.21");

        AddressChooser.Pick(free, 1, skip: 7 + 2).ShouldBe([IpAddress.Parse("10.0.0.10")]);
    }

    [Fact]
    public void Picks_in_an_ipv6_64_without_enumerating_it()
    {
        var free = FreeSpace.Compute(IpNetwork.Parse("2001:db8::/64"), IpAddress.Parse("2001:db8::1"), [], [], []);

        var picked = AddressChooser.Pick(free, 3, skip: UInt128.MaxValue / 3).Select(a => a.ToString()).ToList();

        picked.Count.ShouldBe(3);
        picked.Distinct().Count().ShouldBe(3);
        picked.ShouldAllBe(a => IpNetwork.Parse("2001:db8::/64").Contains(IpAddress.Parse(a)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Picks_are_distinct_free_and_in_smallest_range_first_order(int seed)
    {
        var random = new Random(seed);
        var prefix = random.Next(22, 33);
        var subnet = new IpNetwork(IpAddress.V4(0x0A000000u + (uint)(random.Next(0, 1024) << 10)), prefix);
        var hosts = Enumerate(subnet.HostRange).ToList();
        IpAddress RandomHost() => hosts[random.Next(hosts.Count)];
        var gateway = random.Next(2) == 0 ? RandomHost() : (IpAddress?)null;
        var ranges = Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
        {
            var a = RandomHost();
            var b = RandomHost();
            return a <= b ? new IpRange(a, b) : new IpRange(b, a);
        }).ToList();
        var used = Enumerable.Range(0, random.Next(0, 40)).Select(_ => IpRange.Single(RandomHost())).ToList();
        var count = random.Next(1, 50);
        var skip = (UInt128)random.Next(0, 3) * (UInt128)random.Next(0, 1000);

        var free = FreeSpace.Compute(subnet, gateway, [], ranges, used);
        var picked = AddressChooser.Pick(free, count, skip);

        var expectedFree = hosts.Where(h => h != gateway && !ranges.Any(r => r.Contains(h)) && !used.Any(u => u.Contains(h))).ToHashSet();
        free.Count.ShouldBe((UInt128)expectedFree.Count);
        picked.Count.ShouldBe(Math.Min(count, expectedFree.Count));
        picked.Distinct().Count().ShouldBe(picked.Count);
        picked.ShouldAllBe(p => expectedFree.Contains(p));
        if (skip == UInt128.Zero && picked.Count > 0)
        {
            var smallest = free.Ranges.OrderBy(r => r.Count).ThenBy(r => r.First.Value).First();
            picked[0].ShouldBe(smallest.First);
        }
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 200; seed++)
            data.Add(seed);
        return data;
    }

    private static IEnumerable<IpAddress> Enumerate(IpRange range)
    {
        for (var v = range.First.Value; v <= range.Last.Value; v++)
            yield return new IpAddress(v, range.Family);
    }
}

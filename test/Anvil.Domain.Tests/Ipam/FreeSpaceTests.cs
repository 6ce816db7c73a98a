using Anvil.Domain.Ipam;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Ipam.IpRangeSetTests;

namespace Anvil.Domain.Tests.Ipam;

public sealed class FreeSpaceTests
{
    [Fact]
    public void Excludes_gateway_dns_servers_ranges_and_used_addresses()
    {
        var free = FreeSpace.Compute(
            IpNetwork.Parse("10.0.0.0/24"),
            IpAddress.Parse("10.0.0.1"),
            [IpAddress.Parse("10.0.0.2"), IpAddress.Parse("8.8.8.8")],
            [Range("10.0.0.100-10.0.0.199"), Range("10.0.0.10-10.0.0.19")],
            [Range("10.0.0.3"), Range("10.0.0.250-10.0.0.251")]);

        free.ToString().ShouldBe("10.0.0.4-10.0.0.9, 10.0.0.20-10.0.0.99, 10.0.0.200-10.0.0.249, 10.0.0.252-10.0.0.254");
    }

    [Fact]
    public void Network_and_broadcast_are_never_free_in_ipv4()
    {
        var free = FreeSpace.Compute(IpNetwork.Parse("10.0.0.0/30"), null, [], [], []);

        free.ToString().ShouldBe("10.0.0.1-10.0.0.2");
    }

    [Fact]
    public void Both_addresses_of_a_31_are_free()
    {
        FreeSpace.Compute(IpNetwork.Parse("10.0.0.8/31"), null, [], [], []).ToString().ShouldBe("10.0.0.8-10.0.0.9");
    }

    [Fact]
    public void The_one_address_of_a_32_is_free_until_used()
    {
        var subnet = IpNetwork.Parse("10.0.0.8/32");

        FreeSpace.Compute(subnet, null, [], [], []).ToString().ShouldBe("10.0.0.8");
        FreeSpace.Compute(subnet, null, [], [], [Range("10.0.0.8")]).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void A_full_subnet_has_no_free_space()
    {
        var free = FreeSpace.Compute(
            IpNetwork.Parse("10.0.0.0/28"), IpAddress.Parse("10.0.0.1"), [], [Range("10.0.0.8-10.0.0.14")], [Range("10.0.0.2-10.0.0.7")]);

        free.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void An_ipv6_64_excludes_the_subnet_router_anycast_address_and_counts_the_rest()
    {
        var free = FreeSpace.Compute(
            IpNetwork.Parse("2001:db8::/64"),
            IpAddress.Parse("2001:db8::1"),
            [IpAddress.Parse("10.0.0.2")],
            [Range("2001:db8::1:0-2001:db8::1:ffff")],
            [Range("2001:db8::2")]);

        free.Ranges[0].First.ToString().ShouldBe("2001:db8::3");
        free.Count.ShouldBe(((UInt128)1 << 64) - 3 - 65536);
    }

    [Fact]
    public void Allocation_candidates_leave_out_excluded_addresses()
    {
        var free = FreeSpace.Compute(IpNetwork.Parse("10.0.0.0/29"), null, [], [], [Range("10.0.0.3")]);

        free.ToString().ShouldBe("10.0.0.1-10.0.0.2, 10.0.0.4-10.0.0.6");
    }

    [Fact]
    public void Within_ignores_taken_ranges_of_the_other_family()
    {
        var space = IpRangeSet.Of(Range("10.0.0.1-10.0.0.9"));

        var free = FreeSpace.Within(space, [Range("::5"), Range("10.0.0.5")]);

        free.ToString().ShouldBe("10.0.0.1-10.0.0.4, 10.0.0.6-10.0.0.9");
    }

    [Fact]
    public void Ranges_reaching_outside_the_subnet_are_clipped()
    {
        var free = FreeSpace.Compute(IpNetwork.Parse("10.0.1.0/24"), null, [], [Range("10.0.0.200-10.0.1.10")], [Range("10.0.2.5")]);

        free.ToString().ShouldBe("10.0.1.11-10.0.1.254");
    }
}

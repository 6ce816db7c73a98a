using System.Net;
using Anvil.Domain.Dns;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Dns;

public sealed class ReverseZonesTests
{
    // The /124 that holds 2001:db8::c/126.
    private const string Slash124 = "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

    [Theory]
    [InlineData("192.168.5.0/24", "5.168.192.in-addr.arpa")]
    [InlineData("172.16.0.0/16", "16.172.in-addr.arpa")]
    [InlineData("10.0.0.0/8", "10.in-addr.arpa")]
    [InlineData("2001:db8:0:1::/64", "1.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    [InlineData("2001:db8::/32", "8.b.d.0.1.0.0.2.ip6.arpa")]
    public void A_subnet_on_a_label_boundary_is_one_zone(string cidr, string zone) =>
        ReverseZones.ZonesFor(IPNetwork.Parse(cidr), 1).ShouldBe([zone]);

    [Fact]
    public void A_slash_23_is_split_into_its_two_slash_24_zones() =>
        ReverseZones.ZonesFor(IPNetwork.Parse("10.1.4.0/23"), 1).ShouldBe(["4.1.10.in-addr.arpa", "5.1.10.in-addr.arpa"]);

    [Fact]
    public void A_slash_20_is_split_into_sixteen_slash_24_zones()
    {
        var zones = ReverseZones.ZonesFor(IPNetwork.Parse("10.1.16.0/20"), 1);

        zones.Count.ShouldBe(16);
        zones[0].ShouldBe("16.1.10.in-addr.arpa");
        zones[15].ShouldBe("31.1.10.in-addr.arpa");
    }

    [Fact]
    public void A_slash_12_is_split_into_slash_16_zones()
    {
        var zones = ReverseZones.ZonesFor(IPNetwork.Parse("172.16.0.0/12"), 1);

        zones.Count.ShouldBe(16);
        zones[0].ShouldBe("16.172.in-addr.arpa");
        zones[15].ShouldBe("31.172.in-addr.arpa");
    }

    [Fact]
    public void An_ipv6_slash_63_is_split_into_two_slash_64_zones() =>
        ReverseZones.ZonesFor(IPNetwork.Parse("2001:db8:0:2::/63"), 1).ShouldBe(
        [
            "2.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
            "3.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
        ]);

    [Fact]
    public void A_slash_26_in_mode_1_is_an_rfc2317_zone_without_a_glue_parent() =>
        ReverseZones.ZonesFor(IPNetwork.Parse("10.0.0.64/26"), 1).ShouldBe(["64-26.0.0.10.in-addr.arpa"]);

    [Fact]
    public void A_slash_26_in_mode_2_also_needs_its_parent_slash_24_for_the_glue() =>
        ReverseZones.ZonesFor(IPNetwork.Parse("10.0.0.64/26"), 2).ShouldBe(["64-26.0.0.10.in-addr.arpa", "0.0.10.in-addr.arpa"]);

    [Fact]
    public void An_ipv6_slash_126_is_a_classless_zone_under_its_slash_124()
    {
        var zones = ReverseZones.ZonesFor(IPNetwork.Parse("2001:db8::c/126"), 2);

        zones.ShouldBe(
        [
            "c-126." + Slash124,
            Slash124,
        ]);
    }

    [Fact]
    public void An_ipv6_slash_124_is_an_ordinary_zone() =>
        ReverseZones.ZonesFor(IPNetwork.Parse("2001:db8::10/124"), 2).ShouldBe(
            ["1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"]);

    [Fact]
    public void Rdns_mode_0_needs_no_zone() =>
        ReverseZones.ZonesFor(IPNetwork.Parse("10.0.0.0/24"), 0).ShouldBeEmpty();

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.0/24", "5.0.0.10.in-addr.arpa")]
    [InlineData("10.0.1.5", "10.0.0.0/23", "5.1.0.10.in-addr.arpa")]
    [InlineData("10.0.0.70", "10.0.0.64/26", "70.64-26.0.0.10.in-addr.arpa")]
    [InlineData("2001:db8::d", "2001:db8::c/126", "d.c-126." + Slash124)]
    [InlineData("2001:db8::1", "2001:db8::/64", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void The_ptr_name_is_the_owner_inside_the_subnets_zone(string address, string cidr, string owner) =>
        ReverseZones.PtrName(IPAddress.Parse(address), IPNetwork.Parse(cidr)).ShouldBe(owner);

    [Fact]
    public void A_ptr_name_for_an_address_outside_the_subnet_is_refused() =>
        Should.Throw<ArgumentException>(() => ReverseZones.PtrName(IPAddress.Parse("10.0.1.5"), IPNetwork.Parse("10.0.0.0/24")));
}

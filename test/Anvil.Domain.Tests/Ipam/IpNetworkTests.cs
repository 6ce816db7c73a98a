using Anvil.Domain.Ipam;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Ipam;

public sealed class IpNetworkTests
{
    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.0", "10.0.0.255", "10.0.0.1", "10.0.0.254")]
    [InlineData("10.0.0.0/30", "10.0.0.0", "10.0.0.3", "10.0.0.1", "10.0.0.2")]
    [InlineData("10.0.0.4/31", "10.0.0.4", "10.0.0.5", "10.0.0.4", "10.0.0.5")]
    [InlineData("10.0.0.7/32", "10.0.0.7", "10.0.0.7", "10.0.0.7", "10.0.0.7")]
    [InlineData("0.0.0.0/0", "0.0.0.0", "255.255.255.255", "0.0.0.1", "255.255.255.254")]
    [InlineData("2001:db8::/64", "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff", "2001:db8::1", "2001:db8::ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::/127", "2001:db8::", "2001:db8::1", "2001:db8::", "2001:db8::1")]
    [InlineData("2001:db8::5/128", "2001:db8::5", "2001:db8::5", "2001:db8::5", "2001:db8::5")]
    [InlineData("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void Network_bounds_and_host_range(string cidr, string first, string last, string firstHost, string lastHost)
    {
        var network = IpNetwork.Parse(cidr);

        network.First.ToString().ShouldBe(first);
        network.Last.ToString().ShouldBe(last);
        network.HostRange.First.ToString().ShouldBe(firstHost);
        network.HostRange.Last.ToString().ShouldBe(lastHost);
        network.ToString().ShouldBe(cidr);
    }

    [Fact]
    public void Parse_clears_host_bits()
    {
        IpNetwork.Parse("10.1.2.3/16").ToString().ShouldBe("10.1.0.0/16");
    }

    [Theory]
    [InlineData("10.0.0.5/24", "10.0.0.0/24")]
    [InlineData("10.0.0.5", "10.0.0.5/32")]
    [InlineData("2001:db8::1/64", "2001:db8::/64")]
    [InlineData(" 192.168.1.129/25 ", "192.168.1.128/25")]
    public void Networks_parse_with_host_bits_cleared(string text, string expected)
    {
        IpNetwork.TryParse(text, out var network).ShouldBeTrue();

        network.ToString().ShouldBe(expected);
    }

    [Fact]
    public void Host_range_of_an_ipv6_64_counts_without_enumerating()
    {
        IpNetwork.Parse("2001:db8::/64").HostRange.Count.ShouldBe(((UInt128)1 << 64) - 1);
    }

    [Fact]
    public void The_whole_ipv6_space_saturates_its_count()
    {
        IpNetwork.Parse("::/0").All.Count.ShouldBe(UInt128.MaxValue);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("2001:db8::/129")]
    [InlineData("nonsense/24")]
    [InlineData("10.0.0/24")]
    [InlineData("10.0.0.0/ 24")]
    [InlineData("fe80::%eth0/64")]
    [InlineData("name")]
    [InlineData("")]
    public void TryParse_refuses_a_bad_block(string text)
    {
        IpNetwork.TryParse(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void Contains_only_addresses_of_its_family_inside_the_block()
    {
        var network = IpNetwork.Parse("10.0.0.0/24");

        network.Contains(IpAddress.Parse("10.0.0.255")).ShouldBeTrue();
        network.Contains(IpAddress.Parse("10.0.1.0")).ShouldBeFalse();
        network.Contains(IpAddress.Parse("::a00:1")).ShouldBeFalse();
    }
}

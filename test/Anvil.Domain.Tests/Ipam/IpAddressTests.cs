using Anvil.Domain.Ipam;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Ipam;

public sealed class IpAddressTests
{
    [Theory]
    [InlineData("10.0.0.1", 0x0A000001u)]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", uint.MaxValue)]
    public void Parse_reads_an_ipv4_address_as_its_number(string text, uint value)
    {
        var address = IpAddress.Parse(text);

        address.Family.ShouldBe(IpFamily.V4);
        address.Value.ShouldBe((UInt128)value);
        address.ToString().ShouldBe(text);
    }

    [Fact]
    public void Parse_reads_an_ipv6_address_and_formats_it_compressed()
    {
        var address = IpAddress.Parse("2001:DB8:0:0:0:0:0:1");

        address.Family.ShouldBe(IpFamily.V6);
        address.Value.ShouldBe(new UInt128(0x20010db800000000, 1));
        address.ToString().ShouldBe("2001:db8::1");
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0")]
    [InlineData("10")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.1.5")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("2001:db8::g")]
    [InlineData("not an address")]
    public void TryParse_refuses_what_is_not_a_plain_address(string text)
    {
        IpAddress.TryParse(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void A_leading_zero_is_decimal_not_octal()
    {
        IpAddress.Parse("010.0.0.1").ToString().ShouldBe("10.0.0.1");
    }

    [Fact]
    public void TryParseDroppingZone_keeps_the_address_of_a_zoned_ipv6_address()
    {
        IpAddress.TryParseDroppingZone("fe80::1%eth0", out var address).ShouldBeTrue();

        address.ToString().ShouldBe("fe80::1");
    }

    [Theory]
    [InlineData("fe80::1", true)]
    [InlineData("febf:ffff::1", true)]
    [InlineData("fec0::1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("169.254.0.1", false)]
    public void IsLinkLocal_is_fe80_slash_10(string text, bool expected)
    {
        IpAddress.Parse(text).IsLinkLocal.ShouldBe(expected);
    }

    [Fact]
    public void An_address_list_splits_on_commas_and_white_space()
    {
        var (addresses, invalid) = IpAddressList.Parse(["8.8.8.8, 8.8.4.4", "2001:db8::1\t10.0.0.1"]);

        invalid.ShouldBeNull();
        addresses.Select(a => a.ToString()).ShouldBe(["8.8.8.8", "8.8.4.4", "2001:db8::1", "10.0.0.1"]);
    }

    [Fact]
    public void An_address_list_reports_its_first_bad_entry()
    {
        var (addresses, invalid) = IpAddressList.Parse(["8.8.8.8, 10.1, nonsense"]);

        invalid.ShouldBe("10.1");
        addresses.ShouldBeEmpty();
    }

    [Fact]
    public void Addresses_order_by_family_then_value()
    {
        var ordered = new[] { IpAddress.Parse("::1"), IpAddress.Parse("10.0.0.2"), IpAddress.Parse("10.0.0.1") }.Order().ToList();

        ordered.Select(a => a.ToString()).ShouldBe(["10.0.0.1", "10.0.0.2", "::1"]);
    }

    [Fact]
    public void An_ipv4_address_cannot_exceed_32_bits()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new IpAddress((UInt128)uint.MaxValue + 1, IpFamily.V4));
    }
}

using Anvil.Domain.Allocation;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Allocation;

public class CidrSpecifierTests
{
    [Theory]
    [InlineData("10.0.0.5/24", "10.0.0.0/24")]
    [InlineData("10.0.0.5", "10.0.0.5/32")]
    [InlineData("2001:DB8::1/64", "2001:db8::/64")]
    [InlineData("fe80::1%eth0/64", "fe80::/64")]
    [InlineData("fe80::1%eth0 /64", "fe80::/64")]
    [InlineData("fe80::1%eth0 ", "fe80::1/128")]
    public void TryParseCidr_exact_text_reads_as_the_network(string text, string expected)
    {
        NetworkCatalog.TryParseCidr(text, out var network).ShouldBeTrue();
        network.ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData(" 10.0.0.0/24")]
    [InlineData("10.0.0.0 /24")]
    [InlineData("10.0.0.0/24 ")]
    [InlineData("10.0.0.0/ 24")]
    [InlineData("10.0.0.0 ")]
    [InlineData(" fe80::1%eth0/64")]
    [InlineData("10.0.0/24")]
    [InlineData("10.0.0.0/33")]
    [InlineData("")]
    public void TryParseCidr_white_space_the_address_parser_would_trim_is_not_a_cidr(string text) =>
        NetworkCatalog.TryParseCidr(text, out _).ShouldBeFalse();
}

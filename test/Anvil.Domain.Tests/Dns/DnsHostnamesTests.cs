using System.Net;
using Anvil.Domain.Dns;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Dns;

public sealed class DnsHostnamesTests
{
    [Theory]
    [InlineData("eth0", "eth0")]
    [InlineData("enp3s0_1", "enp3s0-1")]
    [InlineData("1_eth_0_", "eth-0")]
    [InlineData("-br-ex-", "br-ex")]
    [InlineData("ETH1", "eth1")]
    [InlineData("eth0.100", "eth0.100")]
    [InlineData("1234", "")]
    public void An_interface_label_has_hyphens_for_underscores_and_starts_with_a_letter(string interfaceName, string label) =>
        DnsHostnames.InterfaceBased(interfaceName).ShouldBe(label);

    [Theory]
    [InlineData("10.0.0.5", "10-0-0-5")]
    [InlineData("2001:db8::1", "2001-db8-0-0-0-0-0-1")]
    [InlineData("::ffff:10.1.2.3", "10-1-2-3")]
    public void An_address_based_name_replaces_the_separators_with_hyphens(string address, string name) =>
        DnsHostnames.IpBased(IPAddress.Parse(address)).ShouldBe(name);
}

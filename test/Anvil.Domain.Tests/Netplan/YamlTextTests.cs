using Anvil.Domain.Netplan;
using Shouldly;
using Xunit;
using YamlDotNet.Serialization;

namespace Anvil.Domain.Tests.Netplan;

public sealed class YamlTextTests
{
    [Theory]
    [InlineData("eth0")]
    [InlineData("bond0.100")]
    [InlineData("br-ex")]
    [InlineData("layer2+3")]
    [InlineData("example.com")]
    [InlineData("10.0.0.5/24")]
    [InlineData("10.0.0.1")]
    public void Scalar_leaves_names_addresses_and_networks_plain(string value)
    {
        YamlText.Scalar(value).ShouldBe(value);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("Yes")]
    [InlineData("on")]
    [InlineData("OFF")]
    [InlineData("null")]
    [InlineData("y")]
    [InlineData("802.3ad")]
    [InlineData("1e5")]
    [InlineData("0x1f")]
    [InlineData("12")]
    [InlineData("10:20:30:40:50:59")]
    [InlineData("2001:db8::1")]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("#comment")]
    [InlineData("-dash")]
    public void Scalar_quotes_what_a_yaml_reader_could_take_for_something_else(string value)
    {
        YamlText.Scalar(value).ShouldBe($"\"{value}\"");
    }

    [Theory]
    [InlineData("quote\"inside")]
    [InlineData("back\\slash")]
    [InlineData("new\nline")]
    [InlineData("bell\u0007")]
    public void Quoted_scalar_reads_back_as_the_same_string(string value)
    {
        var yaml = $"key: {YamlText.Scalar(value)}\n";

        var read = new DeserializerBuilder().Build().Deserialize<Dictionary<string, string>>(yaml);

        read["key"].ShouldBe(value);
    }

    [Fact]
    public void Reading_back_refuses_a_key_netplan_does_not_have()
    {
        const string yaml = "network:\n  version: 2\n  ethernets:\n    eth0:\n      setname: eth0\n";

        Should.Throw<YamlDotNet.Core.YamlException>(() => NetplanDocument.Parse(yaml));
    }
}

using Anvil.Domain.Dhcp;
using Anvil.Domain.Errors;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class DhcpSnippetParserTests
{
    [Theory]
    [InlineData("option ntp-servers 10.0.0.1, 10.0.0.2;", "option ntp-servers 10.0.0.1, 10.0.0.2;")]
    [InlineData("option 42 10.0.0.1;", "option ntp-servers 10.0.0.1;")]
    [InlineData("OPTION Domain-Search \"example.com\",\"Lab.Example.com.\";", "option domain-search \"example.com\", \"lab.example.com\";")]
    [InlineData("option tftp-server-name \"10.0.0.5\";", "option tftp-server-name \"10.0.0.5\";")]
    [InlineData("option 67 \"pxe\\\\boot \\\"x\\\".efi\";", "option bootfile-name \"pxe\\\\boot \\\"x\\\".efi\";")]
    [InlineData("option routers 192.168.1.1;\noption domain-name-servers 1.1.1.1,8.8.8.8;", "option routers 192.168.1.1;\noption domain-name-servers 1.1.1.1, 8.8.8.8;")]
    [InlineData("option interface-mtu 9000;", "option interface-mtu 9000;")]
    [InlineData("option 119 \"a.example\";", "option domain-search \"a.example\";")]
    [InlineData("option 252 \"http://wpad/wpad.dat\";", "option wpad-url \"http://wpad/wpad.dat\";")]
    [InlineData("option vendor-encapsulated-options 1:4:C0:a8:0:1;", "option vendor-encapsulated-options 01:04:c0:a8:00:01;")]
    [InlineData("# comment\n  option time-offset -3600; # trailing\n", "option time-offset -3600;")]
    [InlineData("option ip-forwarding off;", "option ip-forwarding false;")]
    [InlineData("option dhcp-lease-time 4294967295;", "option dhcp-lease-time 4294967295;")]
    public void Valid_snippets_parse_and_render_as_normalised_text(string text, string normalised)
    {
        var options = DhcpSnippetParser.Parse(text);

        DhcpOptionsJson.ToText(options).ShouldBe(normalised);
        DhcpOptionsJson.ToText(DhcpOptionsJson.Deserialize(DhcpOptionsJson.Serialize(options))).ShouldBe(normalised);
    }

    [Fact]
    public void Options_are_stored_as_code_name_type_and_value()
    {
        var json = DhcpOptionsJson.Serialize(DhcpSnippetParser.Parse("option ntp-servers 10.0.0.1; option interface-mtu 1400; option 66 \"tftp\";"));

        json.ShouldBe(
            "[{\"code\":42,\"name\":\"ntp-servers\",\"type\":\"ip-addresses\",\"value\":[\"10.0.0.1\"]}," +
            "{\"code\":26,\"name\":\"interface-mtu\",\"type\":\"uint16\",\"value\":1400}," +
            "{\"code\":66,\"name\":\"tftp-server-name\",\"type\":\"text\",\"value\":\"tftp\"}]");
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("   # only a comment", "sets no option")]
    [InlineData("next-server 10.0.0.1;", "'next-server' is not supported")]
    [InlineData("host foo { hardware ethernet 00:11:22:33:44:55; }", "'host' is not supported")]
    [InlineData("filename \"pxelinux.0\";", "'filename' is not supported")]
    [InlineData("option foo-bar 1;", "Option 'foo-bar' is not supported")]
    [InlineData("option 1 255.255.255.0;", "Option '1' is not supported")]
    [InlineData("option ntp-servers 10.0.0.1", "must end with ';'")]
    [InlineData("option ntp-servers ;", "needs a value")]
    [InlineData("option ntp-servers 10.0.0.256;", "not an IPv4 address")]
    [InlineData("option ntp-servers 10.1;", "not an IPv4 address")]
    [InlineData("option ntp-servers ntp.ubuntu.com;", "not an IPv4 address")]
    [InlineData("option ntp-servers 10.0.0.1 10.0.0.2;", "comma-separated")]
    [InlineData("option ntp-servers 10.0.0.1,;", "comma-separated")]
    [InlineData("option routers 2001:db8::1;", "not an IPv4 address")]
    [InlineData("option domain-search example.com;", "comma-separated")]
    [InlineData("option domain-search \"bad_domain!\";", "not a domain name")]
    [InlineData("option tftp-server-name unquoted;", "quoted string")]
    [InlineData("option tftp-server-name \"\";", "1 to 255")]
    [InlineData("option tftp-server-name \"tab\there\";", "printable ASCII")]
    [InlineData("option tftp-server-name \"unterminated;", "not closed")]
    [InlineData("option tftp-server-name \"bad \\n escape\";", "escapes")]
    [InlineData("option interface-mtu 67;", "from 68 to 65535")]
    [InlineData("option interface-mtu 1e3;", "whole number")]
    [InlineData("option ip-forwarding maybe;", "true or false")]
    [InlineData("option vendor-encapsulated-options 0x01;", "hex octets")]
    [InlineData("option vendor-encapsulated-options 123:45;", "hex octets")]
    [InlineData("option routers 10.0.0.1; option 3 10.0.0.2;", "more than once")]
    [InlineData("option;", "followed by an option name")]
    [InlineData("option \"quoted\" 1;", "followed by an option name")]
    [InlineData("; option routers 10.0.0.1;", "';' is not supported")]
    public void Unsupported_or_invalid_snippets_are_a_value_error(string text, string fragment)
    {
        var error = Should.Throw<ValidationException>(() => DhcpSnippetParser.Parse(text));

        error.FieldErrors.Keys.ShouldBe(["value"]);
        error.FieldErrors["value"].ShouldHaveSingleItem().ShouldContain(fragment);
    }

    [Fact]
    public void Overlong_snippets_and_lists_are_refused()
    {
        var longText = "option routers 10.0.0.1;" + new string(' ', DhcpSnippetParser.MaxLength);
        var longList = "option routers " + string.Join(", ", Enumerable.Range(1, DhcpSnippetParser.MaxListItems + 1).Select(i => $"10.0.0.{i}")) + ";";

        Should.Throw<ValidationException>(() => DhcpSnippetParser.Parse(longText)).FieldErrors["value"][0].ShouldContain("at most");
        Should.Throw<ValidationException>(() => DhcpSnippetParser.Parse(longList)).FieldErrors["value"][0].ShouldContain("at most");
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_input_either_parses_or_throws_only_a_validation_exception(int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["option", " ", "\n", ";", ",", "\"", "\\", "#", "ntp-servers", "42", "domain-search", "10.0.0.1", "1:2", "tftp-server-name", "-1", "99999999999999999999", "\u0000", "é", "{", "}", "true", "interface-mtu"];
        for (var round = 0; round < 200; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 30)).Select(_ =>
                random.Next(4) == 0 ? ((char)random.Next(0, 0x3000)).ToString() : pieces[random.Next(pieces.Length)]));

            try
            {
                var options = DhcpSnippetParser.Parse(text);
                DhcpSnippetParser.Parse(DhcpOptionsJson.ToText(options)).ShouldBe(options, DhcpOptionComparer.Instance);
            }
            catch (ValidationException e)
            {
                e.FieldErrors.Keys.ShouldBe(["value"]);
            }
        }
    }

    private sealed class DhcpOptionComparer : IEqualityComparer<DhcpOption>
    {
        public static DhcpOptionComparer Instance { get; } = new();

        public bool Equals(DhcpOption? x, DhcpOption? y) =>
            x is not null && y is not null && x.Code == y.Code && x.Value.ToJsonString() == y.Value.ToJsonString();

        public int GetHashCode(DhcpOption obj) => obj.Code;
    }
}

using Anvil.Dns.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Wire;

public sealed class DnsRecordCreateTests
{
    [Theory]
    [InlineData(DnsType.A, " 10.0.0.5 ", null, "10.0.0.5")]
    [InlineData(DnsType.AAAA, "2001:DB8:0:0::5", null, "2001:db8::5")]
    [InlineData(DnsType.AAAA, "2001:0db8:0000:0000:0000:0000:0000:0001", null, "2001:db8::1")]
    [InlineData(DnsType.CNAME, "Host", "maas", "host.maas.")]
    [InlineData(DnsType.CNAME, "HOST.Example.", "maas", "host.example.")]
    [InlineData(DnsType.CNAME, "@", "Maas.", "maas.")]
    [InlineData(DnsType.CNAME, "host", null, "host.")]
    [InlineData(DnsType.NS, "ns1.maas", null, "ns1.maas.")]
    [InlineData(DnsType.PTR, "node1.maas.", null, "node1.maas.")]
    [InlineData(DnsType.MX, "10   Mail", "maas", "10 mail.maas.")]
    [InlineData(DnsType.SRV, "0 5 5060 sip", "maas", "0 5 5060 sip.maas.")]
    [InlineData(DnsType.SOA, "ns1 admin 7 1h 10m 1d 30", "maas", "ns1.maas. admin.maas. 7 3600 600 86400 30")]
    [InlineData(DnsType.TXT, "hello", null, "\"hello\"")]
    [InlineData(DnsType.TXT, "\"a b\"   c", null, "\"a b\" \"c\"")]
    [InlineData(DnsType.TXT, "\"say \\\"hi\\\" \\\\ now\"", null, "\"say \\\"hi\\\" \\\\ now\"")]
    [InlineData(DnsType.TXT, "\"caf\u00e9\"", null, "\"caf\\195\\169\"")]
    [InlineData(DnsType.TXT, "\"tab\\009x\"", null, "\"tab\\009x\"")]
    [InlineData(DnsType.SSHFP, "1 1 abcdef0123", null, "1 1 ABCDEF0123")]
    [InlineData(DnsType.SSHFP, "4 2 ABCD EF01", null, "4 2 ABCDEF01")]
    [InlineData(DnsType.CAA, "0 Issue \"letsencrypt.org\"", null, "0 issue \"letsencrypt.org\"")]
    [InlineData(DnsType.A, @"\# 4 0A000005", null, "10.0.0.5")]
    [InlineData((DnsType)99, @"\# 3 ABCDEF", null, @"\# 3 ABCDEF")]
    public void Create_normalises_presentation_data(DnsType type, string data, string? origin, string expected)
    {
        DnsRecord.Create("host.maas", type, 30, data, origin).Data.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Host.MAAS.", null, "host.maas")]
    [InlineData("host.maas", null, "host.maas")]
    [InlineData("@", "Maas", "maas")]
    [InlineData("a\\.b.maas", null, "a\\.b.maas")]
    public void Create_makes_the_owner_absolute_lower_case_and_without_the_dot(string name, string? origin, string expected)
    {
        DnsRecord.Create(name, DnsType.A, 30, "10.0.0.1", origin).Name.ShouldBe(expected);
    }

    [Fact]
    public void A_txt_string_longer_than_255_octets_is_split_into_character_strings()
    {
        var record = DnsRecord.Create("t.maas", DnsType.TXT, 30, new string('x', 300));

        record.Data.ShouldBe($"\"{new string('x', 255)}\" \"{new string('x', 45)}\"");
    }

    [Fact]
    public void A_created_record_round_trips_through_its_wire_form()
    {
        var record = DnsRecord.Create("_sip._tcp.maas", DnsType.SRV, 60, "10 20 5060 SIP", "maas");
        var rdata = record.EncodeRData();
        var reader = new DnsWireReader(rdata);

        RDataCodec.Decode(DnsType.SRV, ref reader, rdata.Length).ShouldBe(record.Data);
        record.ToString().ShouldBe("_sip._tcp.maas. 60 IN SRV 10 20 5060 sip.maas.");
    }

    [Theory]
    [InlineData(DnsType.A, "10.0.0", "not an IPv4 address")]
    [InlineData(DnsType.A, "256.1.1.1", "not an IPv4 address")]
    [InlineData(DnsType.A, "010.0.0.1", "not an IPv4 address")]
    [InlineData(DnsType.A, "10.0.0.1 10.0.0.2", "expected an IPv4 address")]
    [InlineData(DnsType.A, "::1", "not an IPv4 address")]
    [InlineData(DnsType.AAAA, "10.0.0.1", "not an IPv6 address")]
    [InlineData(DnsType.AAAA, "fe80::1%eth0", "not an IPv6 address")]
    [InlineData(DnsType.MX, "mail.maas.", "expected a preference and an exchange")]
    [InlineData(DnsType.MX, "70000 mail.maas.", "preference '70000' is not a number from 0 to 65535")]
    [InlineData(DnsType.CNAME, "a..b", "empty label")]
    [InlineData(DnsType.CNAME, "\"quoted.name.\"", "cannot be quoted")]
    [InlineData(DnsType.TXT, "\"unterminated", "unterminated quoted string")]
    [InlineData(DnsType.TXT, "", "one or more strings")]
    [InlineData(DnsType.TXT, "\"bad \\300 escape\"", "above 255")]
    [InlineData(DnsType.SSHFP, "1 1 abc", "even number of hex digits")]
    [InlineData(DnsType.SSHFP, "1 1 xyzw", "even number of hex digits")]
    [InlineData(DnsType.SRV, "0 5 sip.maas.", "priority, weight, port and target")]
    [InlineData(DnsType.SOA, "ns1. admin. 1 2 3 4", "mname rname serial")]
    [InlineData(DnsType.SOA, "ns1. admin. 1 1x 3 4 5", "duration like 1h30m")]
    [InlineData(DnsType.CAA, "0 is-sue \"x\"", "letters and digits")]
    [InlineData(DnsType.A, @"\# 5 0A00000501", "must be 4 bytes")]
    [InlineData(DnsType.A, @"\# 4 0A0000", "says 4 bytes but has 3")]
    [InlineData((DnsType)99, "plain text", "generic form")]
    public void Create_rejects_bad_data_saying_what_and_why(DnsType type, string data, string reason)
    {
        var error = Should.Throw<FormatException>(() => DnsRecord.Create("host.maas", type, 30, data));

        error.Message.ShouldContain(reason);
        error.Message.ShouldContain("host.maas");
    }

    [Fact]
    public void Create_rejects_a_label_of_64_octets()
    {
        var error = Should.Throw<FormatException>(() => DnsRecord.Create("host.maas", DnsType.CNAME, 30, new string('a', 64) + ".maas."));

        error.Message.ShouldContain("longer than 63 octets");
    }

    [Fact]
    public void Create_rejects_a_name_longer_than_255_octets()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));

        Should.Throw<FormatException>(() => DnsRecord.Create(name, DnsType.A, 30, "10.0.0.1")).Message.ShouldContain("longer than 255 octets");
    }

    [Theory]
    [InlineData(DnsType.OPT)]
    [InlineData(DnsType.TSIG)]
    [InlineData(DnsType.AXFR)]
    [InlineData(DnsType.ANY)]
    public void Create_rejects_meta_types(DnsType type)
    {
        Should.Throw<FormatException>(() => DnsRecord.Create("host.maas", type, 30, @"\# 0")).Message.ShouldContain("not a record type that can be published");
    }

    [Fact]
    public void Create_rejects_a_ttl_above_the_signed_32_bit_range()
    {
        Should.Throw<FormatException>(() => DnsRecord.Create("host.maas", DnsType.A, 3_000_000_000, "10.0.0.1")).Message.ShouldContain("RFC 2181");
    }

    [Fact]
    public void Random_presentation_data_yields_a_record_or_a_format_exception_and_nothing_else()
    {
        var random = new Random(1035);
        const string alphabet = "0123456789abcdefABCDEF .:\\\"@#;()-_\u00e9\t";
        DnsType[] types = [DnsType.A, DnsType.AAAA, DnsType.CNAME, DnsType.MX, DnsType.SRV, DnsType.SOA, DnsType.TXT, DnsType.SSHFP, DnsType.CAA, (DnsType)99];
        var created = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var data = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var type = types[random.Next(types.Length)];
            try
            {
                var record = DnsRecord.Create("fuzz.maas", type, 30, data, random.Next(2) == 0 ? "maas" : null);
                DnsRecord.Create(record.Name, record.Type, record.Ttl, record.Data).ShouldBe(record, $"canonical data '{record.Data}' from '{data}' is not stable");
                created++;
            }
            catch (FormatException)
            {
            }
            catch (Exception e) when (e is not ShouldAssertException)
            {
                throw new ShouldAssertException($"{type} '{data}' threw {e}");
            }
        }

        created.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("A", DnsType.A)]
    [InlineData("aaaa", DnsType.AAAA)]
    [InlineData(" Sshfp ", DnsType.SSHFP)]
    [InlineData("TYPE99", (DnsType)99)]
    public void DnsTypes_parses_mnemonics(string mnemonic, DnsType expected)
    {
        DnsTypes.TryParse(mnemonic, out var type).ShouldBeTrue();
        type.ShouldBe(expected);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("A,AAAA")]
    [InlineData("TYPE")]
    [InlineData("TYPE70000")]
    [InlineData("BOGUS")]
    [InlineData("")]
    public void DnsTypes_rejects_what_is_not_a_mnemonic(string mnemonic)
    {
        DnsTypes.TryParse(mnemonic, out _).ShouldBeFalse();
    }
}

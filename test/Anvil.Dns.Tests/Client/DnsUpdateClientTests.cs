using Anvil.Dns.Client;
using Anvil.Dns.Tests.Support;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Client;

/// <summary>UpdateAsync against a real named, checked with dig.</summary>
public sealed class DnsUpdateClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(TsigAlgorithm.HmacSha512)]
    [InlineData(TsigAlgorithm.HmacSha256)]
    public async Task Adding_one_a_record_makes_it_visible_to_dig(TsigAlgorithm algorithm)
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(algorithm), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);

        var sent = await client.UpdateAsync("maas", [DnsUpdate.Add(DnsRecord.Create("node1.maas", DnsType.A, 30, "10.0.0.5"))], CancellationToken.None);

        sent.ShouldBe(1);
        (await named.DigShortAsync("node1.maas", "A")).ShouldBe(["10.0.0.5"]);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    public async Task Adding_many_a_records_in_one_message_makes_all_of_them_visible(int count)
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);
        var records = TestRecords.ARecords("maas", "bulk", count);

        var sent = await client.UpdateAsync("maas.", TestRecords.Adds(records), CancellationToken.None);

        sent.ShouldBe(1);
        records.Select(TestRecords.Line).Except(await named.DigTransferAsync("maas")).ShouldBeEmpty();
        (await named.DigShortAsync(records[^1].Name, "A")).ShouldBe([records[^1].Data]);
    }

    [Fact]
    public async Task Adding_5000_records_splits_them_over_several_messages_and_all_arrive()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);
        var records = TestRecords.ARecords("maas", "a-rather-long-host-name-to-fill-messages-", 5000);

        var sent = await client.UpdateAsync("maas", TestRecords.Adds(records), CancellationToken.None);

        sent.ShouldBeGreaterThan(1);
        var zone = await named.DigTransferAsync("maas");
        zone.Count(line => line.Contains(" IN A ", StringComparison.Ordinal)).ShouldBe(5000);
        records.Select(TestRecords.Line).Except(zone).ShouldBeEmpty();
    }

    [Fact]
    public async Task Deleting_one_record_of_an_rrset_leaves_the_others()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);
        var first = DnsRecord.Create("multi.maas", DnsType.A, 30, "10.0.0.1");
        var second = DnsRecord.Create("multi.maas", DnsType.A, 30, "10.0.0.2");
        var third = DnsRecord.Create("multi.maas", DnsType.A, 30, "10.0.0.3");
        var text = DnsRecord.Create("multi.maas", DnsType.TXT, 30, "keep me");
        await client.UpdateAsync("maas", TestRecords.Adds([first, second, third, text]), CancellationToken.None);

        await client.UpdateAsync("maas", [DnsUpdate.Delete(second), DnsUpdate.Delete(text)], CancellationToken.None);

        (await named.DigShortAsync("multi.maas", "A")).ShouldBe(["10.0.0.1", "10.0.0.3"], ignoreOrder: true);
        (await named.DigShortAsync("multi.maas", "TXT")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Deleting_a_record_with_a_different_ttl_still_deletes_it()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);
        await client.UpdateAsync("maas", [DnsUpdate.Add(DnsRecord.Create("ttl.maas", DnsType.A, 300, "10.0.0.9"))], CancellationToken.None);

        await client.UpdateAsync("maas", [DnsUpdate.Delete(DnsRecord.Create("ttl.maas", DnsType.A, 30, "10.0.0.9"))], CancellationToken.None);

        (await named.DigShortAsync("ttl.maas", "A")).ShouldBeEmpty();
    }

    public static TheoryData<string, DnsType, string, string> TypedRecords() => new()
    {
        { "node.maas", DnsType.AAAA, "2001:DB8::0:5", "2001:db8::5" },
        { "alias.maas", DnsType.CNAME, "node", "node.maas." },
        { "maas", DnsType.MX, "10 mail", "10 mail.maas." },
        { "info.maas", DnsType.TXT, "\"hello world\" \"with \\\"quotes\\\"\"", "\"hello world\" \"with \\\"quotes\\\"\"" },
        { "_sip._tcp.maas", DnsType.SRV, "0 5 5060 sip", "0 5 5060 sip.maas." },
        { "node.maas", DnsType.SSHFP, "4 2 7d0a8e7e5fae8b1d4e1a0f8d6cbb9fd1a4e8eaf3c0b5d7d9d3f2b6c1a0e9f8c7", "4 2 7D0A8E7E5FAE8B1D4E1A0F8D6CBB9FD1A4E8EAF3C0B5D7D9D3F2B6C1A0E9F8C7" },
        { "maas", DnsType.CAA, "0 issue \"letsencrypt.org\"", "0 issue \"letsencrypt.org\"" },
        { "5.0.0.10.in-addr.arpa", DnsType.PTR, "node.maas.", "node.maas." },
    };

    [Theory]
    [MemberData(nameof(TypedRecords))]
    public async Task An_added_record_shows_in_dig_exactly_as_its_canonical_data(string name, DnsType type, string data, string expected)
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas", "0.0.10.in-addr.arpa");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);
        var zone = name.EndsWith("in-addr.arpa", StringComparison.Ordinal) ? "0.0.10.in-addr.arpa" : "maas";
        var record = DnsRecord.Create(name, type, 45, data, origin: "maas");

        // named refuses an MX whose in-zone exchange has no address, so every case brings mail.maas along.
        var mail = DnsRecord.Create("mail.maas", DnsType.A, 45, "10.0.0.25");

        await client.UpdateAsync("maas", [DnsUpdate.Add(mail)], CancellationToken.None);
        await client.UpdateAsync(zone, [DnsUpdate.Add(record)], CancellationToken.None);

        record.Data.ShouldBe(expected);
        DigOutput.Records(await named.DigAsync(name, DnsTypes.ToMnemonic(type))).ShouldBe([TestRecords.Line(record)]);
    }

    [Fact]
    public async Task No_changes_send_nothing()
    {
        var key = TestRecords.NewKey();
        var nowhere = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9);
        var client = new DnsUpdateClient(nowhere, key, Timeout);

        (await client.UpdateAsync("maas", [], CancellationToken.None)).ShouldBe(0);
    }
}

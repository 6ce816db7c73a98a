using Anvil.Dns.Client;
using Anvil.Dns.Tests.Support;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Client;

public sealed class UpdateMessageBuilderTests
{
    [Fact]
    public void Messages_stay_within_the_limit_left_for_the_tsig_and_keep_every_change_in_order()
    {
        var key = TsigKey.Generate("anvil");
        var limit = ushort.MaxValue - TsigMac.RecordLength(key);
        var records = TestRecords.ARecords("maas", "host-", 5000);

        var messages = UpdateMessageBuilder.Build("maas", TestRecords.Adds(records), limit);

        messages.Count.ShouldBeGreaterThan(1);
        messages.ShouldAllBe(m => m.Length <= limit);
        var parsed = messages.Select(Parse).ToList();
        parsed.ShouldAllBe(m => m.Opcode == DnsOpcode.Update && m.Questions.Single().Name == "maas." && m.Questions.Single().Type == DnsType.SOA);
        parsed.SelectMany(m => m.Authority).Select(r => r.ToRecord()).ShouldBe(records);
        new TsigSession(key, TimeProvider.System).Sign(messages[0]).Length.ShouldBeLessThanOrEqualTo(ushort.MaxValue);
    }

    [Fact]
    public void A_delete_goes_out_as_class_none_with_ttl_zero()
    {
        var record = DnsRecord.Create("gone.maas", DnsType.TXT, 300, "bye");

        var message = Parse(UpdateMessageBuilder.Build("maas", [DnsUpdate.Delete(record)], 65000).Single());

        message.Authority.ShouldHaveSingleItem().ShouldBe(new DnsResourceRecord("gone.maas.", DnsType.TXT, (ushort)DnsClass.NONE, 0, "\"bye\""));
    }

    [Fact]
    public void A_record_too_large_for_any_message_is_refused_before_sending()
    {
        var huge = new DnsRecord("big.maas", DnsType.TXT, 30, string.Join(' ', Enumerable.Repeat($"\"{new string('x', 255)}\"", 260)));

        Should.Throw<ArgumentException>(() => UpdateMessageBuilder.Build("maas", [DnsUpdate.Add(huge)], 65000)).Message.ShouldContain("too large for an UPDATE message");
    }

    private static DnsMessage Parse(byte[] bytes)
    {
        DnsMessageParser.TryParse(bytes, out var message, out var error).ShouldBeTrue(error);
        return message!;
    }
}

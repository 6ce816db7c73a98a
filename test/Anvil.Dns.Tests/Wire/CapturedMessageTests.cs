using Anvil.Dns.Tests.Support;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Wire;

/// <summary>The parser against messages real named, dig and nsupdate exchanged, checked against what dig printed.</summary>
public sealed class CapturedMessageTests
{
    public static TheoryData<string> QuerySteps() => new(CaptureFiles.QuerySteps);

    [Theory]
    [MemberData(nameof(QuerySteps))]
    public void A_captured_answer_parses_to_the_records_dig_printed(string step)
    {
        var output = CaptureFiles.ToolOutput(step);
        var response = Parse(CaptureFiles.Responses(step).Single());

        response.IsResponse.ShouldBeTrue();
        response.Id.ShouldBe(DigOutput.Id(output));
        response.Rcode.ToString().ToUpperInvariant().ShouldBe(DigOutput.Status(output));
        Lines(response.Answers.Concat(response.Authority).Concat(response.Additional)).ShouldBe(DigOutput.Records(output));
    }

    [Theory]
    [MemberData(nameof(QuerySteps))]
    public void A_captured_query_from_dig_has_one_question_with_the_answers_id(string step)
    {
        var query = Parse(CaptureFiles.Request(step));
        var response = Parse(CaptureFiles.Responses(step).Single());

        query.IsResponse.ShouldBeFalse();
        query.Id.ShouldBe(response.Id);
        query.Questions.ShouldHaveSingleItem().ShouldBe(response.Questions.Single());
    }

    [Fact]
    public void The_captured_mx_answer_has_both_exchanges_in_canonical_form()
    {
        var response = Parse(CaptureFiles.Responses("query-mx").Single());

        response.Answers.Select(a => a.Data).ShouldBe(["10 mail.cap.test.", "20 mail2.cap.test."], ignoreOrder: true);
    }

    [Fact]
    public void The_captured_nsupdate_request_is_an_update_of_cap_test_with_two_adds_and_one_exact_delete()
    {
        var update = Parse(CaptureFiles.Request("update"));

        update.Opcode.ShouldBe(DnsOpcode.Update);
        update.Questions.ShouldHaveSingleItem().ShouldBe(new DnsQuestion("cap.test.", DnsType.SOA, (ushort)DnsClass.IN));
        update.Authority.Select(r => $"{r.Name} {r.Ttl} {r.Class} {r.Type} {r.Data}").ShouldBe([
            "new1.cap.test. 120 1 A 192.0.2.51",
            "new1.cap.test. 120 1 TXT \"added by nsupdate\"",
            "www.cap.test. 0 254 A 192.0.2.11",
        ]);
        update.Tsig.ShouldNotBeNull().KeyName.ShouldBe("capture-key.");
        update.Tsig.Algorithm.ShouldBe("hmac-sha256.");
        update.Tsig.Mac.Length.ShouldBe(32);
    }

    [Fact]
    public void The_captured_update_answer_is_a_signed_noerror()
    {
        var answer = Parse(CaptureFiles.Responses("update").Single());

        answer.Opcode.ShouldBe(DnsOpcode.Update);
        answer.Rcode.ShouldBe(DnsRcode.NoError);
        answer.Tsig.ShouldNotBeNull().Error.ShouldBe(TsigError.NoError);
    }

    [Theory]
    [InlineData("axfr-small", 1)]
    [InlineData("axfr-big", 10)]
    public void A_captured_zone_transfer_parses_to_what_dig_printed(string step, int messages)
    {
        var responses = CaptureFiles.Responses(step);
        var parsed = responses.Select(Parse).ToList();

        responses.Count.ShouldBe(messages);
        parsed.ShouldAllBe(m => m.Tsig != null);
        Lines(parsed.SelectMany(m => m.Answers)).ShouldBe(DigOutput.Records(CaptureFiles.ToolOutput(step)));
    }

    private static DnsMessage Parse(byte[] bytes)
    {
        DnsMessageParser.TryParse(bytes, out var message, out var error).ShouldBeTrue(error);
        return message!;
    }

    private static List<string> Lines(IEnumerable<DnsResourceRecord> records) =>
        records.Select(r => $"{r.Name} {r.Ttl} IN {DnsTypes.ToMnemonic(r.Type)} {r.Data}").ToList();
}

using Anvil.Dns.Tests.Support;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;
using Anvil.Testing;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Tsig;

/// <summary>TSIG against what nsupdate, dig and named signed with the capture key.</summary>
public sealed class CapturedTsigTests
{
    [Fact]
    public void Our_mac_over_nsupdates_request_is_the_mac_nsupdate_sent()
    {
        var raw = CaptureFiles.Request("update");
        var request = Parse(raw);

        var mac = TsigMac.Compute(CaptureFiles.Key, [], hasPriorMac: false, TsigMac.Unsigned(raw, request), request.Tsig!, timersOnly: false);

        mac.ShouldBe(request.Tsig!.Mac);
    }

    [Fact]
    public void Signing_nsupdates_unsigned_request_at_its_time_gives_nsupdates_bytes()
    {
        var raw = CaptureFiles.Request("update");
        var request = Parse(raw);
        var session = new TsigSession(CaptureFiles.Key, ClockAt(request.Tsig!.TimeSigned));

        var signed = session.Sign(TsigMac.Unsigned(raw, request));

        Convert.ToHexString(signed).ShouldBe(Convert.ToHexString(raw));
    }

    [Fact]
    public void Binds_signed_answer_to_the_update_verifies_against_the_request_mac()
    {
        var (session, raw, answer) = UpdateAnswer(CaptureFiles.Key);

        session.Verify(raw, answer).ShouldBe(TsigCheck.Ok);
    }

    [Fact]
    public void Binds_answer_does_not_verify_with_another_secret()
    {
        var otherSecret = new TsigKey("capture-key", TsigAlgorithm.HmacSha256, new byte[32]);
        var (session, raw, answer) = UpdateAnswer(otherSecret);

        var check = session.Verify(raw, answer);

        check.Verified.ShouldBeFalse();
        check.Problem.ShouldNotBeNull().ShouldContain("does not verify");
    }

    [Fact]
    public void Binds_answer_does_not_verify_when_a_header_bit_is_flipped()
    {
        var (session, raw, _) = UpdateAnswer(CaptureFiles.Key);
        raw[3] ^= 0x10;

        session.Verify(raw, Parse(raw)).Verified.ShouldBeFalse();
    }

    [Fact]
    public void Binds_answer_read_ten_minutes_later_is_reported_as_badtime()
    {
        var raw = CaptureFiles.Responses("update").Single();
        var answer = Parse(raw);
        var clock = ClockAt(answer.Tsig!.TimeSigned);
        clock.Advance(TimeSpan.FromMinutes(10));
        var session = TsigSession.ForSignedRequest(CaptureFiles.Key, clock, Parse(CaptureFiles.Request("update")).Tsig!.Mac);

        var check = session.Verify(raw, answer);

        check.ServerError.ShouldBe(TsigError.BadTime);
        check.Problem.ShouldNotBeNull().ShouldContain("600 s away");
    }

    [Fact]
    public void Every_message_of_binds_ten_message_transfer_verifies_in_a_chain()
    {
        var (session, responses) = Transfer();

        foreach (var raw in responses)
            session.Verify(raw, Parse(raw)).ShouldBe(TsigCheck.Ok);
    }

    [Fact]
    public void Binds_transfer_messages_out_of_order_fail_the_chain()
    {
        var (session, responses) = Transfer();

        session.Verify(responses[0], Parse(responses[0])).ShouldBe(TsigCheck.Ok);
        session.Verify(responses[2], Parse(responses[2])).Verified.ShouldBeFalse();
    }

    [Fact]
    public void Unsigned_messages_between_signed_ones_are_covered_by_the_next_signature()
    {
        var (session, signer, bodies) = ResignedTransfer();

        var checks = bodies.Select((body, i) => i is 0 or 4 or 9 ? signer.Sign(body) : signer.LeaveUnsigned(body))
            .Select(raw => session.Verify(raw, Parse(raw)))
            .ToList();

        checks.Count(c => c == TsigCheck.Ok).ShouldBe(3);
        checks.Count(c => c == TsigCheck.Deferred).ShouldBe(7);
        session.LastResponseSigned.ShouldBeTrue();
    }

    [Fact]
    public void A_tampered_unsigned_message_between_signed_ones_fails_the_next_signature()
    {
        var (session, signer, bodies) = ResignedTransfer();
        var first = signer.Sign(bodies[0]);
        var middle = signer.LeaveUnsigned(bodies[1]);
        var last = signer.Sign(bodies[2]);
        var tampered = (byte[])middle.Clone();
        tampered[^1] ^= 1;

        session.Verify(first, Parse(first)).ShouldBe(TsigCheck.Ok);
        session.Verify(tampered, Parse(tampered)).ShouldBe(TsigCheck.Deferred);
        session.Verify(last, Parse(last)).Verified.ShouldBeFalse();
    }

    [Fact]
    public void A_hundred_unsigned_messages_in_a_row_are_refused()
    {
        var (session, signer, bodies) = ResignedTransfer();
        var first = signer.Sign(bodies[0]);
        session.Verify(first, Parse(first)).ShouldBe(TsigCheck.Ok);

        var checks = Enumerable.Range(0, 100).Select(_ => signer.LeaveUnsigned(bodies[1])).Select(raw => session.Verify(raw, Parse(raw))).ToList();

        checks.Take(99).ShouldAllBe(c => c == TsigCheck.Deferred);
        checks[99].Problem.ShouldNotBeNull().ShouldContain("unsigned messages in a row");
    }

    [Fact]
    public void An_unsigned_first_answer_is_refused()
    {
        var (session, _, bodies) = ResignedTransfer();

        session.Verify(bodies[0], Parse(bodies[0])).Problem.ShouldBe("the response is not TSIG-signed");
    }

    private static (TsigSession Session, byte[] Raw, DnsMessage Answer) UpdateAnswer(TsigKey key)
    {
        var raw = CaptureFiles.Responses("update").Single();
        var answer = Parse(raw);
        var requestMac = Parse(CaptureFiles.Request("update")).Tsig!.Mac;
        return (TsigSession.ForSignedRequest(key, ClockAt(answer.Tsig!.TimeSigned), requestMac), raw, answer);
    }

    private static (TsigSession Session, IReadOnlyList<byte[]> Responses) Transfer()
    {
        var request = Parse(CaptureFiles.Request("axfr-big"));
        var responses = CaptureFiles.Responses("axfr-big");
        var clock = ClockAt(Parse(responses[0]).Tsig!.TimeSigned);
        return (TsigSession.ForSignedRequest(CaptureFiles.Key, clock, request.Tsig!.Mac), responses);
    }

    private static (TsigSession Session, TsigServerSigner Signer, List<byte[]> Bodies) ResignedTransfer()
    {
        var request = Parse(CaptureFiles.Request("axfr-big"));
        var bodies = CaptureFiles.Responses("axfr-big").Select(raw => TsigMac.Unsigned(raw, Parse(raw))).ToList();
        var time = request.Tsig!.TimeSigned;
        var signer = new TsigServerSigner(CaptureFiles.Key, request.Tsig.Mac, request.Id, time);
        return (TsigSession.ForSignedRequest(CaptureFiles.Key, ClockAt(time), request.Tsig.Mac), signer, bodies);
    }

    private static ManualTimeProvider ClockAt(ulong unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds));

    private static DnsMessage Parse(byte[] bytes)
    {
        DnsMessageParser.TryParse(bytes, out var message, out var error).ShouldBeTrue(error);
        return message!;
    }
}

using Anvil.Rack.Power.Ipmi.Codec;
using Anvil.Rack.Power.Ipmi.Session;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power.Ipmi;

/// <summary>
/// Vectors from a capture of <c>ipmitool -I lanplus -C 3 -U admin -P password chassis power status</c>
/// against ipmi_sim on loopback (tcpdump), UDP payloads as hex. Every value the BMC or ipmitool
/// computed from the password must come out of Anvil's RAKP and key derivation code the same.
/// </summary>
public sealed class RakpCaptureVectorTests
{
    private const string OpenSessionRequestDatagram = "0600ff0706100000000000000000200000000000a4a3a2a0000000080100000001000008010000000200000801000000";
    private const string OpenSessionResponseDatagram = "0600ff0706110000000000000000240000000000a4a3a2a002000000000000080100000001000008010000000200000801000000";
    private const string Rakp1Datagram = "0600ff07061200000000000000002100000000000200000040a6c9c645c50f87626d74f522f0c3d41400000561646d696e";
    private const string Rakp2Datagram = "0600ff07061300000000000000003c0000000000a4a3a2a083c5def4bd4d1d03b176c8aabe8700dfa123456789abcdefa123456789abcdefdc2065790ca28747ffc6658f3f798b65425af924";
    private const string Rakp3Datagram = "0600ff07061400000000000000001c000000000002000000f27dfc7099341518904e8896063330e156659595";
    private const string Rakp4Datagram = "0600ff0706150000000000000000140000000000a4a3a2a010cfeef0cad2e54ce087050f";
    private const string FirstRequestDatagram = "0600ff0706c0020000000300000020006990a63fb1ffab1ea686d51686a3685461d155a4dbab202548bb503477f77cdbffff02079d0018427d99b3e99984133f";
    private const string FirstResponseDatagram = "0600ff0706c0a4a3a2a00100000020007b8b4cf52751a085b12556b5ce8403e1086661db6ee21e5e874d4d495edc5f6cffff020796a6467465a153a959c990aa";

    private const uint ConsoleSessionId = 0xA0A2A3A4;
    private const uint BmcSessionId = 0x00000002;
    private const byte Role = 0x14; // administrator, name-only lookup
    private static readonly byte[] UserName = "admin"u8.ToArray();
    private static readonly byte[] Password = "password"u8.ToArray();

    private static byte[] Payload(string datagram)
    {
        RmcpPlusPacket.TryDecode(Convert.FromHexString(datagram), null, out var frame).ShouldBeTrue();
        return frame.Payload;
    }

    private static (byte[] ConsoleRandom, Rakp2 Rakp2) Exchange()
    {
        var consoleRandom = Payload(Rakp1Datagram)[8..24];
        Rakp2.TryRead(Payload(Rakp2Datagram), out var rakp2).ShouldBeTrue();
        return (consoleRandom, rakp2);
    }

    private static byte[] Sik()
    {
        var (consoleRandom, rakp2) = Exchange();
        return RakpKeys.SessionIntegrityKey(CipherSuite.Suite3, RakpKeys.Key(Password), consoleRandom, rakp2.BmcRandom, Role, UserName);
    }

    [Fact]
    public void OpenSessionRequest_and_Rakp1_are_byte_for_byte_what_ipmitool_sent()
    {
        var open = OpenSessionRequest.Write(0, 0, ConsoleSessionId, 1, 1, 1);
        RmcpPlusPacket.Encode(RmcpPlusPayloadType.OpenSessionRequest, 0, 0, open, null).ShouldBe(Convert.FromHexString(OpenSessionRequestDatagram));

        var consoleRandom = Payload(Rakp1Datagram)[8..24];
        var rakp1 = Rakp1.Write(0, BmcSessionId, consoleRandom, Role, UserName);
        RmcpPlusPacket.Encode(RmcpPlusPayloadType.Rakp1, 0, 0, rakp1, null).ShouldBe(Convert.FromHexString(Rakp1Datagram));
    }

    [Fact]
    public void OpenSessionResponse_reads_the_session_ids_and_algorithms()
    {
        OpenSessionResponse.TryRead(Payload(OpenSessionResponseDatagram), out var response).ShouldBeTrue();

        response.ShouldBe(new OpenSessionResponse(0, 0, 0, ConsoleSessionId, BmcSessionId, 1, 1, 1));
    }

    [Fact]
    public void Rakp2_auth_code_matches_the_one_ipmi_sim_computed_from_the_password()
    {
        var (consoleRandom, rakp2) = Exchange();

        var expected = RakpKeys.Rakp2AuthCode(CipherSuite.Suite3, RakpKeys.Key(Password), ConsoleSessionId, BmcSessionId,
            consoleRandom, rakp2.BmcRandom, rakp2.BmcGuid, Role, UserName);

        expected.ShouldBe(rakp2.AuthCode);
        RakpKeys.Rakp2AuthCode(CipherSuite.Suite3, RakpKeys.Key("passwore"u8), ConsoleSessionId, BmcSessionId,
            consoleRandom, rakp2.BmcRandom, rakp2.BmcGuid, Role, UserName).ShouldNotBe(rakp2.AuthCode);
    }

    [Fact]
    public void Rakp3_message_is_byte_for_byte_what_ipmitool_sent()
    {
        var (_, rakp2) = Exchange();

        var authCode = RakpKeys.Rakp3AuthCode(CipherSuite.Suite3, RakpKeys.Key(Password), rakp2.BmcRandom, ConsoleSessionId, Role, UserName);
        var message = Rakp3.Write(0, 0, BmcSessionId, authCode);

        RmcpPlusPacket.Encode(RmcpPlusPayloadType.Rakp3, 0, 0, message, null).ShouldBe(Convert.FromHexString(Rakp3Datagram));
    }

    [Fact]
    public void Rakp4_check_value_matches_the_session_integrity_key_with_k_g_defaulting_to_the_password()
    {
        var (consoleRandom, rakp2) = Exchange();
        Rakp4.TryRead(Payload(Rakp4Datagram), out var rakp4).ShouldBeTrue();

        RakpKeys.Rakp4IntegrityCheck(CipherSuite.Suite3, Sik(), consoleRandom, BmcSessionId, rakp2.BmcGuid).ShouldBe(rakp4.IntegrityCheck);
    }

    [Fact]
    public void K1_and_K2_verify_and_decrypt_ipmitools_first_request_and_the_BMCs_answer()
    {
        var sik = Sik();
        using var keys = new SessionKeys(CipherSuite.Suite3, RakpKeys.AdditionalKey(CipherSuite.Suite3, sik, 1), RakpKeys.AdditionalKey(CipherSuite.Suite3, sik, 2));

        RmcpPlusPacket.TryDecode(Convert.FromHexString(FirstRequestDatagram), keys, out var request).ShouldBeTrue();
        request.SessionId.ShouldBe(BmcSessionId);
        request.Sequence.ShouldBe(3u);
        request.Encrypted.ShouldBeTrue();
        // Set Session Privilege Level (App 0x06, command 0x3B) to administrator
        request.Payload[1].ShouldBe((byte)(0x06 << 2));
        request.Payload[5].ShouldBe((byte)0x3B);
        request.Payload[6].ShouldBe((byte)0x04);

        RmcpPlusPacket.TryDecode(Convert.FromHexString(FirstResponseDatagram), keys, out var answer).ShouldBeTrue();
        answer.SessionId.ShouldBe(ConsoleSessionId);
        IpmiMessage.TryReadResponse(answer.Payload, out var response).ShouldBeTrue();
        response.NetFn.ShouldBe((byte)0x07);
        response.Command.ShouldBe((byte)0x3B);
        response.CompletionCode.ShouldBe((byte)0);
        response.Data.ShouldBe(new byte[] { 0x04 });
    }

    [Fact]
    public void A_packet_with_one_flipped_bit_fails_its_integrity_check()
    {
        var sik = Sik();
        using var keys = new SessionKeys(CipherSuite.Suite3, RakpKeys.AdditionalKey(CipherSuite.Suite3, sik, 1), RakpKeys.AdditionalKey(CipherSuite.Suite3, sik, 2));
        var datagram = Convert.FromHexString(FirstResponseDatagram);
        datagram[30] ^= 0x01;

        RmcpPlusPacket.TryDecode(datagram, keys, out _).ShouldBeFalse();
    }
}

using Anvil.Rack.Power.Ipmi.Codec;
using Anvil.Rack.Power.Ipmi.Commands;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power.Ipmi;

public sealed class IpmiCodecTests
{
    [Fact]
    public void Get_channel_auth_capabilities_request_is_byte_for_byte_what_ipmitool_sends()
    {
        // from the capture: ipmitool asks for the IPMI 2.0 extended data at administrator level
        var message = new byte[IpmiMessage.RequestLength(2)];
        IpmiMessage.WriteRequest(message, 0x06, 0x38, 0, [0x8E, 0x04]);

        Ipmi15Packet.Encode(Ipmi15Packet.AuthTypeNone, 0, 0, [], message)
            .ShouldBe(Convert.FromHexString("0600ff07000000000000000000092018c88100388e04b5"));
    }

    [Fact]
    public void Get_channel_auth_capabilities_answer_from_ipmi_sim_reads_with_checksums_verified()
    {
        Ipmi15Packet.TryDecode(Convert.FromHexString("0600ff0700000000000000000010811c6320003800019704030000000009"), out var frame).ShouldBeTrue();
        IpmiMessage.TryReadResponse(frame.Message, out var response).ShouldBeTrue();

        response.NetFn.ShouldBe((byte)0x07);
        response.Command.ShouldBe((byte)0x38);
        response.CompletionCode.ShouldBe((byte)0);
        response.Data.ShouldBe(Convert.FromHexString("0197040300000000"));
    }

    [Fact]
    public void A_response_with_a_wrong_checksum_is_refused()
    {
        var message = Convert.FromHexString("811c6320003800019704030000000009");
        message[^1] ^= 0xFF;

        IpmiMessage.TryReadResponse(message, out _).ShouldBeFalse();
    }

    [Fact]
    public void Ipmi15_packet_with_an_auth_code_round_trips()
    {
        var authCode = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var packet = Ipmi15Packet.Encode(Ipmi15Packet.AuthTypeMd5, 0x01020304, 0xAABBCCDD, authCode, [9, 8, 7]);

        Ipmi15Packet.TryDecode(packet, out var frame).ShouldBeTrue();

        frame.AuthType.ShouldBe(Ipmi15Packet.AuthTypeMd5);
        frame.Sequence.ShouldBe(0x01020304u);
        frame.SessionId.ShouldBe(0xAABBCCDDu);
        frame.AuthCode.ShouldBe(authCode);
        frame.Message.ShouldBe(new byte[] { 9, 8, 7 });
        packet[5..9].ShouldBe(new byte[] { 0x04, 0x03, 0x02, 0x01 });
    }

    [Fact]
    public void Refusals_that_stop_after_the_status_read_as_refusals()
    {
        // ipmi_sim's answer to an Open Session Request for cipher suite 17: tag 0, status 4
        RmcpPlusPacket.TryDecode(Convert.FromHexString("0600ff070611000000000000000002000004"), null, out var frame).ShouldBeTrue();
        OpenSessionResponse.TryRead(frame.Payload, out var open).ShouldBeTrue();
        open.Status.ShouldBe((byte)0x04);
        RmcpPlusStatus.IsCipherSuite(open.Status).ShouldBeTrue();

        Rakp2.TryRead([0x02, 0x0D], out var rakp2).ShouldBeTrue();
        rakp2.Status.ShouldBe((byte)0x0D);
        RmcpPlusStatus.IsAuthentication(rakp2.Status).ShouldBeTrue();
    }

    [Fact]
    public void An_accepted_rakp2_shorter_than_its_fixed_fields_is_refused()
    {
        Rakp2.TryRead(new byte[39], out _).ShouldBeFalse();
        OpenSessionResponse.TryRead(new byte[35], out _).ShouldBeFalse();
    }

    [Fact]
    public void An_authenticated_packet_is_refused_without_session_keys()
    {
        var datagram = Convert.FromHexString("0600ff0706c0a4a3a2a00100000020007b8b4cf52751a085b12556b5ce8403e1086661db6ee21e5e874d4d495edc5f6cffff020796a6467465a153a959c990aa");

        RmcpPlusPacket.TryDecode(datagram, null, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(false, "0580040000 00")]
    [InlineData(true, "05a0040000 00")]
    public void Pxe_boot_flags_are_valid_next_boot_only_with_efi_when_asked(bool efi, string expected)
    {
        ChassisCommands.PxeNextBootFlags(efi).ShouldBe(Convert.FromHexString(expected.Replace(" ", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void Chassis_status_power_bit_reads_on_and_off()
    {
        ChassisCommands.TryReadPowerOn(new IpmiResponse(1, 1, 1, 0, [0x41, 0, 0]), out var on).ShouldBeTrue();
        on.ShouldBeTrue();
        ChassisCommands.TryReadPowerOn(new IpmiResponse(1, 1, 1, 0, [0x40, 0, 0]), out var off).ShouldBeTrue();
        off.ShouldBeFalse();
        ChassisCommands.TryReadPowerOn(new IpmiResponse(1, 1, 1, 0xC1, []), out _).ShouldBeFalse();
    }
}

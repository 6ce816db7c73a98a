using Anvil.Rack.Power.Ipmi.Codec;
using Anvil.Rack.Power.Ipmi.Session;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power.Ipmi;

/// <summary>
/// IPMI 1.5 MD5 auth codes, checked against a capture of <c>ipmitool -I lan -U admin -P password
/// chassis power status</c> talking to ipmi_sim on loopback (tcpdump, UDP payloads as hex).
/// </summary>
public sealed class Ipmi15AuthCodeVectorTests
{
    private static readonly byte[] Password = "password\0\0\0\0\0\0\0\0"u8.ToArray();

    [Theory]
    [InlineData("0600ff07020000000005000000ba3bbc3445528c0d78b8bb2b2b87b5ba1d2018c8810c3a0204cdc9d5677e7a262b94805931b12f6a437b3033828d")]
    [InlineData("0600ff07027b30338205000000469ae566887708a1bce19b744f708f4f12811c63200c3a000282000000a49782450410")]
    [InlineData("0600ff0702a49782458200000071549caea8ea759fb161d042a1696538082018c881103b0430")]
    public void Md5_auth_code_of_captured_packets_is_recomputed_from_the_password(string datagram)
    {
        Ipmi15Packet.TryDecode(Convert.FromHexString(datagram), out var frame).ShouldBeTrue();

        Ipmi15Session.AuthCode(frame.AuthType, frame.SessionId, frame.Message, frame.Sequence, Password).ShouldBe(frame.AuthCode);
        Ipmi15Session.AuthCode(frame.AuthType, frame.SessionId, frame.Message, frame.Sequence + 1, Password).ShouldNotBe(frame.AuthCode);
    }

    [Fact]
    public void Activate_session_answer_carries_the_session_id_and_the_next_sequence_number_little_endian()
    {
        Ipmi15Packet.TryDecode(Convert.FromHexString("0600ff07027b30338205000000469ae566887708a1bce19b744f708f4f12811c63200c3a000282000000a49782450410"), out var frame).ShouldBeTrue();
        IpmiMessage.TryReadResponse(frame.Message, out var response).ShouldBeTrue();

        System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(response.Data.AsSpan(1)).ShouldBe(0x82u);
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(response.Data.AsSpan(5)).ShouldBe(0x458297A4u);
    }
}

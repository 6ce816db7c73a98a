using Anvil.Rack.Dhcp.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

public sealed class DhcpReplyWriterTests
{
    [Fact]
    public void An_option_longer_than_255_bytes_is_split_into_instances_that_join_back()
    {
        var value = Enumerable.Range(0, 600).Select(i => (byte)i).ToArray();
        var buffer = new byte[1500];
        var writer = new DhcpReplyWriter(buffer, 1500);
        writer.WriteHeader(RequestPacket(), 0, 0, 0, default);

        writer.TryWriteOption(DhcpOptionCode.DomainSearch, value).ShouldBeTrue();
        var length = writer.Finish();

        buffer[240].ShouldBe(DhcpOptionCode.DomainSearch);
        buffer[241].ShouldBe((byte)255);
        new ReplyView(buffer.AsSpan(0, length)).Options[DhcpOptionCode.DomainSearch].ShouldBe(value);
    }

    [Fact]
    public void An_option_that_would_pass_the_client_limit_is_left_out()
    {
        var buffer = new byte[1500];
        var writer = new DhcpReplyWriter(buffer, DhcpReplyWriter.MinimumMessageSize);
        writer.WriteHeader(RequestPacket(), 0, 0, 0, default);

        writer.TryWriteOption(DhcpOptionCode.HostName, new byte[250]).ShouldBeTrue();
        writer.TryWriteOption(DhcpOptionCode.DomainName, new byte[60]).ShouldBeFalse();
        writer.TryWriteOption(DhcpOptionCode.Router, new byte[4]).ShouldBeTrue();
        var length = writer.Finish();

        length.ShouldBeLessThanOrEqualTo(DhcpReplyWriter.MinimumMessageSize);
        new ReplyView(buffer.AsSpan(0, length)).Order.ShouldBe([DhcpOptionCode.HostName, DhcpOptionCode.Router]);
    }

    [Fact]
    public void A_short_reply_is_padded_to_the_bootp_minimum_of_300_bytes()
    {
        var buffer = new byte[1500];
        buffer.AsSpan().Fill(0xAA);
        var writer = new DhcpReplyWriter(buffer, 1500);
        writer.WriteHeader(RequestPacket(), 0, 0, 0, "boot.efi"u8);

        var length = writer.Finish();

        length.ShouldBe(300);
        buffer[241..300].ShouldAllBe(b => b == 0);
        new ReplyView(buffer.AsSpan(0, length)).File.ShouldBe("boot.efi");
    }

    [Fact]
    public void The_header_copies_the_transaction_flags_relay_and_hardware_address()
    {
        var request = new DhcpPacket();
        DhcpPacketReader.TryRead(new ClientPacket(DhcpMessageType.Discover, 0x525400123456) { TransactionId = 77, Flags = 0x8000, RelayAddress = 0x0A000002 }.ToBytes(), request, out _);
        var buffer = new byte[1500];
        var writer = new DhcpReplyWriter(buffer, 1500);

        writer.WriteHeader(request, 0, 0x0A000064, 0x0A000001, default);
        var reply = new ReplyView(buffer.AsSpan(0, writer.Finish()));

        reply.Op.ShouldBe((byte)2);
        reply.TransactionId.ShouldBe(77u);
        reply.Flags.ShouldBe((ushort)0x8000);
        reply.RelayAddress.ShouldBe("10.0.0.2");
        reply.YourAddress.ShouldBe("10.0.0.100");
        reply.NextServer.ShouldBe("10.0.0.1");
        buffer[28..34].ShouldBe(new byte[] { 0x52, 0x54, 0, 0x12, 0x34, 0x56 });
    }

    private static DhcpPacket RequestPacket()
    {
        var packet = new DhcpPacket();
        DhcpPacketReader.TryRead(new ClientPacket(DhcpMessageType.Discover, 1).ToBytes(), packet, out _);
        return packet;
    }
}

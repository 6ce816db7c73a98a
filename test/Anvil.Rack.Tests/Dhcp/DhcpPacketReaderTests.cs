using System.Text;
using Anvil.Rack.Dhcp.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

public sealed class DhcpPacketReaderTests
{
    [Fact]
    public void Dhclient_discover_from_a_capture_reads_type_mac_hostname_and_request_list()
    {
        var packet = new DhcpPacket();

        DhcpPacketReader.TryRead(CapturedPackets.Bytes(CapturedPackets.DhclientDiscover), packet, out _).ShouldBeTrue();

        packet.MessageType.ShouldBe(DhcpMessageType.Discover);
        MacAddressText.Format(packet.Mac).ShouldBe("52:54:00:12:34:56");
        Encoding.ASCII.GetString(packet.Option(DhcpOptionCode.HostName)).ShouldBe("capture-host");
        packet.Option(DhcpOptionCode.ParameterRequestList).ToArray().ShouldBe(new byte[] { 1, 28, 2, 3, 15, 6, 119, 12, 42, 26 });
        packet.RelayAddress.ShouldBe(0u);
    }

    [Fact]
    public void Dhclient_request_from_a_capture_carries_the_server_id_and_requested_address()
    {
        var packet = new DhcpPacket();

        DhcpPacketReader.TryRead(CapturedPackets.Bytes(CapturedPackets.DhclientRequest), packet, out _).ShouldBeTrue();

        packet.MessageType.ShouldBe(DhcpMessageType.Request);
        ReplyView.Text(packet.AddressOption(DhcpOptionCode.ServerIdentifier)).ShouldBe("10.99.0.1");
        ReplyView.Text(packet.AddressOption(DhcpOptionCode.RequestedAddress)).ShouldBe("10.99.0.100");
        packet.ClientAddress.ShouldBe(0u);
    }

    [Fact]
    public void Udhcpc_packets_from_a_capture_read_vendor_class_and_hostname()
    {
        var discover = new DhcpPacket();
        var request = new DhcpPacket();

        DhcpPacketReader.TryRead(CapturedPackets.Bytes(CapturedPackets.UdhcpcDiscover), discover, out _).ShouldBeTrue();
        DhcpPacketReader.TryRead(CapturedPackets.Bytes(CapturedPackets.UdhcpcRequest), request, out _).ShouldBeTrue();

        discover.MessageType.ShouldBe(DhcpMessageType.Discover);
        Encoding.ASCII.GetString(discover.Option(DhcpOptionCode.VendorClass)).ShouldBe("udhcp 1.35.0");
        Encoding.ASCII.GetString(discover.Option(DhcpOptionCode.HostName)).ShouldBe("bb");
        request.MessageType.ShouldBe(DhcpMessageType.Request);
        request.Has(DhcpOptionCode.ServerIdentifier).ShouldBeTrue();
    }

    [Fact]
    public void Perfdhcp_packets_from_a_capture_are_relayed_with_a_client_id()
    {
        var discover = new DhcpPacket();
        var request = new DhcpPacket();

        DhcpPacketReader.TryRead(CapturedPackets.Bytes(CapturedPackets.PerfdhcpDiscover), discover, out _).ShouldBeTrue();
        DhcpPacketReader.TryRead(CapturedPackets.Bytes(CapturedPackets.PerfdhcpRequest), request, out _).ShouldBeTrue();

        ReplyView.Text(discover.RelayAddress).ShouldBe("10.99.0.2");
        discover.Hops.ShouldBe((byte)1);
        MacAddressText.Format(discover.Mac).ShouldBe("00:0c:01:02:03:04");
        discover.Option(DhcpOptionCode.ClientIdentifier).Length.ShouldBe(7);
        ReplyView.Text(request.AddressOption(DhcpOptionCode.RequestedAddress)).ShouldBe("10.99.0.101");
    }

    [Fact]
    public void Repeated_instances_of_an_option_are_joined_in_order()
    {
        var bytes = new ClientPacket(DhcpMessageType.Discover, 1)
            .With(DhcpOptionCode.DomainSearch, 3, (byte)'a', (byte)'b')
            .With(DhcpOptionCode.HostName, (byte)'h')
            .With(DhcpOptionCode.DomainSearch, (byte)'c', 0)
            .ToBytes();
        var packet = new DhcpPacket();

        DhcpPacketReader.TryRead(bytes, packet, out _).ShouldBeTrue();

        packet.Option(DhcpOptionCode.DomainSearch).ToArray().ShouldBe(new byte[] { 3, (byte)'a', (byte)'b', (byte)'c', 0 });
        packet.Option(DhcpOptionCode.HostName).ToArray().ShouldBe("h"u8.ToArray());
    }

    [Fact]
    public void Overload_option_makes_the_file_then_sname_fields_hold_options()
    {
        var bytes = new ClientPacket(DhcpMessageType.Discover, 1).With(DhcpOptionCode.Overload, 3).ToBytes();
        new byte[] { 12, 2, (byte)'a', (byte)'b', 255 }.CopyTo(bytes, DhcpPacketReader.FileOffset);
        new byte[] { 12, 1, (byte)'c', 60, 1, (byte)'v', 255 }.CopyTo(bytes, DhcpPacketReader.SnameOffset);
        var packet = new DhcpPacket();

        DhcpPacketReader.TryRead(bytes, packet, out _).ShouldBeTrue();

        Encoding.ASCII.GetString(packet.Option(DhcpOptionCode.HostName)).ShouldBe("abc");
        Encoding.ASCII.GetString(packet.Option(DhcpOptionCode.VendorClass)).ShouldBe("v");
    }

    [Fact]
    public void A_reused_packet_forgets_the_options_of_the_previous_datagram()
    {
        var packet = new DhcpPacket();
        DhcpPacketReader.TryRead(new ClientPacket(DhcpMessageType.Discover, 1).WithText(DhcpOptionCode.HostName, "first").ToBytes(), packet, out _);

        DhcpPacketReader.TryRead(new ClientPacket(DhcpMessageType.Request, 2).ToBytes(), packet, out _).ShouldBeTrue();

        packet.Has(DhcpOptionCode.HostName).ShouldBeFalse();
        packet.MessageType.ShouldBe(DhcpMessageType.Request);
        packet.Mac.ShouldBe(2ul);
    }

    public static TheoryData<string, byte[], string> Garbage() => new()
    {
        { "empty", [], "short" },
        { "header only", new byte[239], "short" },
        { "reply", Patched(b => b[0] = 2), "not_request" },
        { "bad cookie", Patched(b => b[236] = 0), "bad_cookie" },
        { "not ethernet", Patched(b => b[1] = 6), "hardware" },
        { "option past the end", [.. Valid()[..240], 53, 1, 1, 12, 10, 1, 2], "bad_options" },
        { "length byte missing", [.. Valid()[..240], 53, 1, 1, 12], "bad_options" },
        { "overload of 4", [.. Valid()[..240], 53, 1, 1, 52, 1, 4, 255], "bad_options" },
        { "overload of two bytes", [.. Valid()[..240], 53, 1, 1, 52, 2, 1, 1, 255], "bad_options" },
        { "no message type (BOOTP)", [.. Valid()[..240], 255], "bootp" },
        { "message type 2 bytes", [.. Valid()[..240], 53, 2, 1, 1, 255], "unknown_type" },
        { "message type OFFER", [.. Valid()[..240], 53, 1, 2, 255], "unknown_type" },
        { "message type 99", [.. Valid()[..240], 53, 1, 99, 255], "unknown_type" },
        { "too long", new byte[DhcpPacket.MaxLength + 1], "too_long" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Malformed_datagrams_are_refused_with_a_reason(string what, byte[] datagram, string expected)
    {
        DhcpPacketReader.TryRead(datagram, new DhcpPacket(), out var reason).ShouldBeFalse(what);
        DhcpDropReasons.MetricName(reason).ShouldBe(expected, what);
    }

    [Fact]
    public void An_options_area_without_end_is_read_to_its_last_byte()
    {
        byte[] bytes = [.. Valid()[..240], 53, 1, 1, 12, 1, (byte)'x'];
        var packet = new DhcpPacket();

        DhcpPacketReader.TryRead(bytes, packet, out _).ShouldBeTrue();

        packet.Option(DhcpOptionCode.HostName).ToArray().ShouldBe("x"u8.ToArray());
    }

    private static byte[] Valid() => new ClientPacket(DhcpMessageType.Discover, 0x020000000001).ToBytes();

    private static byte[] Patched(Action<byte[]> patch)
    {
        var bytes = Valid();
        patch(bytes);
        return bytes;
    }
}

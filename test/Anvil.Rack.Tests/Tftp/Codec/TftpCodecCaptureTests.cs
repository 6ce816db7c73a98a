using Anvil.Rack.Tftp;
using Anvil.Rack.Tftp.Codec;
using Anvil.Rack.Tftp.Transfer;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp.Codec;

public sealed class TftpCodecCaptureTests
{
    [Fact]
    public void Tftp_hpa_octet_read_request_is_read_with_its_filename_and_mode()
    {
        TftpRequest.TryRead(Captures.HpaReadOctet, out var request).ShouldBeTrue();

        request!.Opcode.ShouldBe(TftpOpcode.ReadRequest);
        request.Filename.ShouldBe("bin.dat");
        request.Mode.ShouldBe(TftpMode.Octet);
        request.Options.ShouldBeEmpty();
    }

    [Fact]
    public void Tftp_hpa_ascii_read_request_is_netascii()
    {
        TftpRequest.TryRead(Captures.HpaReadNetascii, out var request).ShouldBeTrue();

        request!.Filename.ShouldBe("hello.txt");
        request.Mode.ShouldBe(TftpMode.Netascii);
    }

    [Fact]
    public void Curl_read_request_carries_its_three_options_in_order()
    {
        TftpRequest.TryRead(Captures.CurlReadWithOptions, out var request).ShouldBeTrue();

        request!.Options.ShouldBe([new("tsize", "0"), new("blksize", "1468"), new("timeout", "6")]);
    }

    [Fact]
    public void Tftp_hpa_write_request_is_a_write()
    {
        TftpRequest.TryRead(Captures.HpaWrite, out var request).ShouldBeTrue();

        request!.Opcode.ShouldBe(TftpOpcode.WriteRequest);
        request.Filename.ShouldBe("x");
    }

    [Fact]
    public void Request_written_again_is_byte_for_byte_the_capture()
    {
        foreach (var capture in new[] { Captures.HpaReadOctet, Captures.HpaReadNetascii, Captures.CurlReadWithOptions, Captures.HpaWrite })
        {
            TftpRequest.TryRead(capture, out var request).ShouldBeTrue();
            var written = new byte[request!.Size];
            request.Write(written).ShouldBe(capture.Length);
            written.ShouldBe(capture);
        }
    }

    [Fact]
    public void Our_option_ack_to_curl_is_what_tftpd_hpa_sent()
    {
        TftpRequest.TryRead(Captures.CurlReadWithOptions, out var request).ShouldBeTrue();
        var negotiation = TftpNegotiation.Negotiate(request!, fileLength: 1500, new TftpServerOptions());

        var written = new byte[TftpOptionAck.Size(negotiation.Acknowledged)];
        TftpOptionAck.Write(written, negotiation.Acknowledged);

        written.ShouldBe(Captures.TftpdOptionAck);
        negotiation.BlockSize.ShouldBe(1468);
        negotiation.Timeout.ShouldBe(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public void Tftpd_option_ack_is_read_back()
    {
        TftpOptionAck.TryRead(Captures.TftpdOptionAck, out var options).ShouldBeTrue();

        options.ShouldBe([new("tsize", "1500"), new("blksize", "1468"), new("timeout", "6")]);
    }

    [Fact]
    public void Acks_from_curl_and_tftp_hpa_carry_their_block_numbers()
    {
        TftpAck.TryRead(Captures.CurlAckZero, out var zero).ShouldBeTrue();
        TftpAck.TryRead(Captures.HpaAckThree, out var three).ShouldBeTrue();

        zero.ShouldBe((ushort)0);
        three.ShouldBe((ushort)3);
        var written = new byte[TftpAck.Size];
        TftpAck.Write(written, 3);
        written.ShouldBe(Captures.HpaAckThree);
    }

    [Fact]
    public void Data_packet_has_block_number_and_payload()
    {
        TftpData.TryRead(Captures.TftpdLastData, out var block, out var payload).ShouldBeTrue();

        block.ShouldBe((ushort)2);
        payload.Length.ShouldBe(32);
        payload[0].ShouldBe((byte)0xe7);
    }

    [Fact]
    public void Our_file_not_found_error_is_what_tftpd_hpa_sent()
    {
        TftpError.TryRead(Captures.TftpdFileNotFound, out var error).ShouldBeTrue();
        error.ShouldBe(new TftpError(TftpErrorCode.FileNotFound, "File not found"));

        var written = new byte[error.Size];
        error.Write(written);
        written.ShouldBe(Captures.TftpdFileNotFound);
    }

    [Fact]
    public void Our_netascii_block_is_what_tftpd_hpa_sent()
    {
        using var source = new NetasciiBlockSource(new MemoryStream("hello\nworld\r\n"u8.ToArray()));
        var block = new byte[512];

        var length = source.ReadBlock(block);

        TftpData.TryRead(Captures.TftpdNetasciiData, out _, out var expected).ShouldBeTrue();
        block[..length].ShouldBe(expected.ToArray());
    }

    [Fact]
    public void Each_capture_is_read_only_by_the_parser_of_its_opcode()
    {
        foreach (var capture in Captures.All)
        {
            TftpPacket.TryReadOpcode(capture, out var opcode).ShouldBeTrue();
            TftpRequest.TryRead(capture, out _).ShouldBe(opcode is TftpOpcode.ReadRequest or TftpOpcode.WriteRequest);
            TftpAck.TryRead(capture, out _).ShouldBe(opcode == TftpOpcode.Ack);
            TftpData.TryRead(capture, out _, out _).ShouldBe(opcode == TftpOpcode.Data);
            TftpError.TryRead(capture, out _).ShouldBe(opcode == TftpOpcode.Error);
            TftpOptionAck.TryRead(capture, out _).ShouldBe(opcode == TftpOpcode.OptionAck);
        }
    }
}

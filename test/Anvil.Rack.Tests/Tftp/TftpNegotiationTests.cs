using Anvil.Rack.Tftp;
using Anvil.Rack.Tftp.Codec;
using Anvil.Rack.Tftp.Transfer;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp;

public sealed class TftpNegotiationTests
{
    [Fact]
    public void Without_options_the_transfer_is_plain_rfc_1350()
    {
        var negotiation = Negotiate(TftpMode.Octet);

        negotiation.BlockSize.ShouldBe(512);
        negotiation.WindowSize.ShouldBe(1);
        negotiation.Timeout.ShouldBe(TimeSpan.FromSeconds(1));
        negotiation.Acknowledged.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("1468", 1468)]
    [InlineData("8", 8)]
    [InlineData("65464", 65464)]
    [InlineData("65535", 65464)]
    [InlineData("99999999", 65464)]
    public void Blksize_is_granted_up_to_the_largest_rfc_2348_allows(string requested, int granted)
    {
        var negotiation = Negotiate(TftpMode.Octet, ("blksize", requested));

        negotiation.BlockSize.ShouldBe(granted);
        negotiation.Acknowledged.ShouldBe([new("blksize", granted.ToString())]);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(" 512")]
    [InlineData("99999999999999999999999")]
    public void Blksize_out_of_range_is_left_out(string requested)
    {
        var negotiation = Negotiate(TftpMode.Octet, ("blksize", requested));

        negotiation.BlockSize.ShouldBe(512);
        negotiation.Acknowledged.ShouldBeEmpty();
    }

    [Fact]
    public void Blksize_is_capped_by_the_server_options()
    {
        var negotiation = TftpNegotiation.Negotiate(Request(TftpMode.Octet, ("blksize", "9000")), 0, new TftpServerOptions { MaxBlockSize = 1468 });

        negotiation.BlockSize.ShouldBe(1468);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("255", true)]
    [InlineData("0", false)]
    [InlineData("256", false)]
    public void Timeout_is_taken_as_asked_or_left_out(string seconds, bool granted)
    {
        var negotiation = Negotiate(TftpMode.Octet, ("timeout", seconds));

        negotiation.Acknowledged.Count.ShouldBe(granted ? 1 : 0);
        negotiation.Timeout.ShouldBe(granted ? TimeSpan.FromSeconds(int.Parse(seconds)) : TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Tsize_answers_the_file_length_in_octet_mode_only()
    {
        Negotiate(TftpMode.Octet, ("tsize", "0")).Acknowledged.ShouldBe([new("tsize", "123456789")]);
        Negotiate(TftpMode.Netascii, ("tsize", "0")).Acknowledged.ShouldBeEmpty();
    }

    [Fact]
    public void Windowsize_is_capped_by_the_window_bytes_and_window_size_limits()
    {
        var byCount = TftpNegotiation.Negotiate(Request(TftpMode.Octet, ("windowsize", "500")), 0, new TftpServerOptions { MaxWindowSize = 16 });
        var byBytes = TftpNegotiation.Negotiate(
            Request(TftpMode.Octet, ("blksize", "65464"), ("windowsize", "64")), 0, new TftpServerOptions { MaxWindowBytes = 4 * 65468 });

        byCount.WindowSize.ShouldBe(16);
        byCount.Acknowledged.ShouldBe([new("windowsize", "16")]);
        byBytes.WindowSize.ShouldBe(4);
        byBytes.Acknowledged.ShouldBe([new("blksize", "65464"), new("windowsize", "4")]);
    }

    [Fact]
    public void Option_names_match_in_any_case_and_keep_the_clients_spelling()
    {
        var negotiation = Negotiate(TftpMode.Octet, ("WindowSize", "4"), ("BLKSIZE", "1024"));

        negotiation.BlockSize.ShouldBe(1024);
        negotiation.WindowSize.ShouldBe(4);
        negotiation.Acknowledged.ShouldBe([new("WindowSize", "4"), new("BLKSIZE", "1024")]);
    }

    [Fact]
    public void Unknown_and_repeated_options_are_ignored()
    {
        var negotiation = Negotiate(TftpMode.Octet, ("multicast", ""), ("blksize", "1024"), ("blksize", "2048"), ("rollover", "0"));

        negotiation.BlockSize.ShouldBe(1024);
        negotiation.Acknowledged.ShouldBe([new("blksize", "1024")]);
    }

    private static TftpNegotiation Negotiate(TftpMode mode, params (string, string)[] options) =>
        TftpNegotiation.Negotiate(Request(mode, options), 123456789, new TftpServerOptions());

    private static TftpRequest Request(TftpMode mode, params (string Name, string Value)[] options) =>
        new(TftpOpcode.ReadRequest, "file", mode, [.. options.Select(o => new TftpOption(o.Name, o.Value))]);
}

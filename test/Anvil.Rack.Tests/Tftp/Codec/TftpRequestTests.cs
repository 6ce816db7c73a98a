using Anvil.Rack.Tftp.Codec;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp.Codec;

public sealed class TftpRequestTests
{
    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("0001")]
    [InlineData("000161")]
    [InlineData("0001006f6374657400")]
    [InlineData("000161006f63746574")]
    [InlineData("00016100666f6f00")]
    [InlineData("000161006f6374657400626c6b73697a6500")]
    [InlineData("000161006f637465740000353132")]
    [InlineData("000161006f63746574000035313200")]
    [InlineData("000361006f6374657400")]
    [InlineData("000061006f6374657400")]
    [InlineData("ffff61006f6374657400")]
    public void Malformed_requests_are_not_read(string hex)
    {
        TftpRequest.TryRead(Convert.FromHexString(hex), out var request).ShouldBeFalse();

        request.ShouldBeNull();
    }

    [Theory]
    [InlineData("OCTET", "Octet")]
    [InlineData("Octet", "Octet")]
    [InlineData("NetAscii", "Netascii")]
    [InlineData("MAIL", "Mail")]
    public void Mode_is_case_insensitive(string mode, string expected)
    {
        var packet = Packet("\0\u0001pxelinux.0\0" + mode + "\0");

        TftpRequest.TryRead(packet, out var request).ShouldBeTrue();
        request!.Mode.ShouldBe(Enum.Parse<TftpMode>(expected));
    }

    [Fact]
    public void Option_names_keep_their_spelling_and_compare_case_insensitively()
    {
        var packet = Packet("\0\u0001a\0octet\0BlkSize\01024\0WINDOWSIZE\04\0");

        TftpRequest.TryRead(packet, out var request).ShouldBeTrue();
        request!.Options[0].Name.ShouldBe("BlkSize");
        request.Options[0].Is("blksize").ShouldBeTrue();
        request.Options[1].Is("windowsize").ShouldBeTrue();
    }

    [Fact]
    public void Error_without_its_final_nul_is_still_read()
    {
        TftpError.TryRead(Packet("\0\u0005\0\u0008no options"), out var error).ShouldBeTrue();

        error.ShouldBe(new TftpError(TftpErrorCode.OptionsRefused, "no options"));
    }

    [Theory]
    [InlineData("0004")]
    [InlineData("000400")]
    [InlineData("0004000100")]
    [InlineData("00030001")]
    public void Ack_must_be_exactly_four_bytes_with_the_ack_opcode(string hex)
    {
        TftpAck.TryRead(Convert.FromHexString(hex), out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("0003")]
    [InlineData("000300")]
    [InlineData("00040001")]
    public void Data_needs_its_four_byte_header(string hex)
    {
        TftpData.TryRead(Convert.FromHexString(hex), out _, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("000500")]
    [InlineData("00067800")]
    [InlineData("000678003100790032")]
    public void Short_errors_and_broken_option_acks_are_not_read(string hex)
    {
        var packet = Convert.FromHexString(hex);

        TftpError.TryRead(packet, out _).ShouldBeFalse();
        TftpOptionAck.TryRead(packet, out _).ShouldBeFalse();
    }

    private static byte[] Packet(string text) => System.Text.Encoding.Latin1.GetBytes(text);
}

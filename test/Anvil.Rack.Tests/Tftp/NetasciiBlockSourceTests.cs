using Anvil.Rack.Tftp.Transfer;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp;

public sealed class NetasciiBlockSourceTests
{
    [Fact]
    public void Line_feeds_become_cr_lf_and_carriage_returns_cr_nul()
    {
        var wire = Encode("a\nb\rc"u8.ToArray(), blockSize: 512);

        wire.ShouldBe([.. "a\r\nb\r\0c"u8]);
    }

    [Fact]
    public void A_pair_split_at_a_block_boundary_continues_in_the_next_block()
    {
        var blocks = Blocks("abc\n"u8.ToArray(), blockSize: 4, oneByteReads: false);

        blocks.ShouldBe([[.. "abc\r"u8], [.. "\n"u8]]);
    }

    [Fact]
    public void Wire_form_of_exactly_full_blocks_ends_with_an_empty_block()
    {
        var blocks = Blocks("ab\n"u8.ToArray(), blockSize: 4, oneByteReads: false);

        blocks.ShouldBe([[.. "ab\r\n"u8], []]);
    }

    [Fact]
    public void Reads_of_one_byte_at_a_time_give_the_same_wire_form()
    {
        var text = new byte[5000];
        new Random(7).NextBytes(text);

        var whole = (Blocks(text, blockSize: 512, oneByteReads: false)).SelectMany(b => b).ToArray();
        var trickled = (Blocks(text, blockSize: 512, oneByteReads: true)).SelectMany(b => b).ToArray();

        trickled.ShouldBe(whole);
        whole.Length.ShouldBe(text.Length + text.Count(b => b is (byte)'\n' or (byte)'\r'));
    }

    private static byte[] Encode(byte[] file, int blockSize) =>
        (Blocks(file, blockSize, oneByteReads: false)).SelectMany(b => b).ToArray();

    private static List<byte[]> Blocks(byte[] file, int blockSize, bool oneByteReads)
    {
        using var source = new NetasciiBlockSource(oneByteReads ? new OneByteStream(file) : new MemoryStream(file));
        var blocks = new List<byte[]>();
        var block = new byte[blockSize];
        while (true)
        {
            var length = source.ReadBlock(block);
            blocks.Add(block[..length]);
            if (length < blockSize)
                return blocks;
        }
    }

    private sealed class OneByteStream(byte[] content) : MemoryStream(content)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);
    }
}

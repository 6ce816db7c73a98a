using Anvil.Rack.Tftp.Transfer;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp;

public sealed class OctetBlockSourceTests
{
    [Fact]
    public void Blocks_across_read_ahead_chunks_give_the_file_back_unchanged()
    {
        var file = new byte[700_001];
        new Random(3).NextBytes(file);

        var blocks = Blocks(new MemoryStream(file), blockSize: 1468);

        blocks.SelectMany(b => b).ToArray().ShouldBe(file);
        blocks[..^1].ShouldAllBe(b => b.Length == 1468);
        blocks[^1].Length.ShouldBe(700_001 % 1468);
    }

    [Fact]
    public void File_of_exactly_full_blocks_ends_with_an_empty_block()
    {
        var blocks = Blocks(new MemoryStream(new byte[1024]), blockSize: 512);

        blocks.Select(b => b.Length).ShouldBe([512, 512, 0]);
    }

    [Fact]
    public void Stream_that_returns_one_byte_per_read_still_fills_whole_blocks()
    {
        var file = new byte[2000];
        new Random(4).NextBytes(file);

        var blocks = Blocks(new OneByteStream(file), blockSize: 512);

        blocks.Select(b => b.Length).ShouldBe([512, 512, 512, 464]);
        blocks.SelectMany(b => b).ToArray().ShouldBe(file);
    }

    private static List<byte[]> Blocks(Stream file, int blockSize)
    {
        using var source = new OctetBlockSource(file, blockSize);
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

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));
    }
}

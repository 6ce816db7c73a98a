using Anvil.Rack.Tftp.Transfer;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp;

public sealed class NetasciiBlockSourceTests
{
    [Fact]
    public async Task Line_feeds_become_cr_lf_and_carriage_returns_cr_nul()
    {
        var wire = await EncodeAsync("a\nb\rc"u8.ToArray(), blockSize: 512);

        wire.ShouldBe([.. "a\r\nb\r\0c"u8]);
    }

    [Fact]
    public async Task A_pair_split_at_a_block_boundary_continues_in_the_next_block()
    {
        var blocks = await BlocksAsync("abc\n"u8.ToArray(), blockSize: 4, oneByteReads: false);

        blocks.ShouldBe([[.. "abc\r"u8], [.. "\n"u8]]);
    }

    [Fact]
    public async Task Wire_form_of_exactly_full_blocks_ends_with_an_empty_block()
    {
        var blocks = await BlocksAsync("ab\n"u8.ToArray(), blockSize: 4, oneByteReads: false);

        blocks.ShouldBe([[.. "ab\r\n"u8], []]);
    }

    [Fact]
    public async Task Reads_of_one_byte_at_a_time_give_the_same_wire_form()
    {
        var text = new byte[5000];
        new Random(7).NextBytes(text);

        var whole = (await BlocksAsync(text, blockSize: 512, oneByteReads: false)).SelectMany(b => b).ToArray();
        var trickled = (await BlocksAsync(text, blockSize: 512, oneByteReads: true)).SelectMany(b => b).ToArray();

        trickled.ShouldBe(whole);
        whole.Length.ShouldBe(text.Length + text.Count(b => b is (byte)'\n' or (byte)'\r'));
    }

    private static async Task<byte[]> EncodeAsync(byte[] file, int blockSize) =>
        (await BlocksAsync(file, blockSize, oneByteReads: false)).SelectMany(b => b).ToArray();

    private static async Task<List<byte[]>> BlocksAsync(byte[] file, int blockSize, bool oneByteReads)
    {
        using var source = new NetasciiBlockSource(oneByteReads ? new OneByteStream(file) : new MemoryStream(file));
        var blocks = new List<byte[]>();
        var block = new byte[blockSize];
        while (true)
        {
            var length = await source.ReadBlockAsync(block, CancellationToken.None);
            blocks.Add(block[..length]);
            if (length < blockSize)
                return blocks;
        }
    }

    private sealed class OneByteStream(byte[] content) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}

using System.Buffers;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// Octet mode: the file's bytes unchanged, read ahead in large chunks so a transfer of small blocks
/// does not make a read call per block (boot files are opened unbuffered).
/// </summary>
internal sealed class OctetBlockSource(Stream content, int blockSize) : IBlockSource
{
    private const int ReadAhead = 256 * 1024;
    private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(ReadAhead, blockSize));
    private int start;
    private int end;
    private bool endOfFile;

    public int ReadBlock(Span<byte> block)
    {
        var written = 0;
        while (written < block.Length)
        {
            if (start == end)
            {
                if (endOfFile)
                    break;
                start = 0;
                end = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                endOfFile = end < buffer.Length;
                if (end == 0)
                    break;
            }

            var count = Math.Min(block.Length - written, end - start);
            buffer.AsSpan(start, count).CopyTo(block[written..]);
            start += count;
            written += count;
        }

        return written;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}

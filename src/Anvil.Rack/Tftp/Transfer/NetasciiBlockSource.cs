using System.Buffers;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// Netascii mode (RFC 1350, after RFC 764): every LF goes on the wire as CR LF and every CR as
/// CR NUL, so the wire form is longer than the file. A pair split across two blocks is finished at
/// the start of the next block.
/// </summary>
internal sealed class NetasciiBlockSource(Stream content) : IBlockSource
{
    private const int NoPending = -1;
    private readonly byte[] input = ArrayPool<byte>.Shared.Rent(8192);
    private int inputStart;
    private int inputEnd;
    private bool endOfFile;
    private int pending = NoPending;

    public int ReadBlock(Span<byte> block)
    {
        var written = 0;
        while (written < block.Length)
        {
            if (inputStart == inputEnd && pending == NoPending)
            {
                if (endOfFile)
                    break;
                inputStart = 0;
                inputEnd = content.Read(input);
                if (inputEnd == 0)
                {
                    endOfFile = true;
                    break;
                }
            }

            written += Encode(block[written..]);
        }

        return written;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(input);

    private int Encode(Span<byte> output)
    {
        var written = 0;
        if (pending != NoPending)
        {
            output[written++] = (byte)pending;
            pending = NoPending;
        }

        while (written < output.Length && inputStart < inputEnd)
        {
            var b = input[inputStart++];
            switch (b)
            {
                case (byte)'\n':
                    output[written++] = (byte)'\r';
                    Second((byte)'\n', output, ref written);
                    break;
                case (byte)'\r':
                    output[written++] = (byte)'\r';
                    Second(0, output, ref written);
                    break;
                default:
                    output[written++] = b;
                    break;
            }
        }

        return written;
    }

    private void Second(byte value, Span<byte> output, ref int written)
    {
        if (written < output.Length)
            output[written++] = value;
        else
            pending = value;
    }
}

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>Octet mode: the file's bytes unchanged.</summary>
internal sealed class OctetBlockSource(Stream content) : IBlockSource
{
    public ValueTask<int> ReadBlockAsync(Memory<byte> block, CancellationToken ct) =>
        content.ReadAtLeastAsync(block, block.Length, throwOnEndOfStream: false, ct);
}

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>The bytes of a transfer in order, one block at a time, as they go on the wire.</summary>
internal interface IBlockSource : IDisposable
{
    /// <summary>Fills <paramref name="block"/>; fewer bytes than its length means the file has ended.</summary>
    int ReadBlock(Span<byte> block);
}

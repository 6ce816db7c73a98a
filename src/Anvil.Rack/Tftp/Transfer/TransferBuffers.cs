using System.Buffers;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// A transfer's pooled memory: one slot per block of the window, holding each DATA packet until
/// it is acknowledged (a retransmission sends the slot again instead of re-reading the file), and
/// a small area for incoming ACKs and ERRORs. The window area also holds the OACK before data starts.
/// </summary>
internal sealed class TransferBuffers : IDisposable
{
    private const int ReceiveSize = 1024;
    private readonly int slotSize;
    private readonly int slots;
    private readonly int[] lengths;

    public TransferBuffers(TftpNegotiation negotiation)
    {
        slotSize = negotiation.BlockSize + Codec.TftpData.HeaderSize;
        slots = negotiation.WindowSize;
        lengths = ArrayPool<int>.Shared.Rent(slots);
        // The OACK is written into the window area and may be longer than one tiny block.
        Window = ArrayPool<byte>.Shared.Rent(Math.Max(slotSize * slots, 1024) + ReceiveSize);
        ReceiveOffset = Window.Length - ReceiveSize;
    }

    public byte[] Window { get; }

    public Span<byte> Receive => Window.AsSpan(ReceiveOffset, ReceiveSize);

    private int ReceiveOffset { get; }

    public Span<byte> Slot(long block) => Window.AsSpan(SlotIndex(block) * slotSize, slotSize);

    public void SetLength(long block, int length) => lengths[SlotIndex(block)] = length;

    public ReadOnlySpan<byte> Packet(long block) => Window.AsSpan(SlotIndex(block) * slotSize, lengths[SlotIndex(block)]);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(Window);
        ArrayPool<int>.Shared.Return(lengths);
    }

    private int SlotIndex(long block) => (int)(block % slots);
}

using System.Numerics;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>
/// The dynamic ranges of one subnet as bitmaps of used addresses. Taking a free address walks the
/// bitmap from a moving cursor a 64-bit word at a time, so a request costs O(1) amortised even
/// in a /16, and recently freed addresses are the last to be handed out again.
/// </summary>
internal sealed class AddressPool
{
    private readonly PoolRange[] ranges;
    private readonly int totalWords;
    private int cursorRange;
    private int cursorWord;
    private int cursorBit;

    /// <param name="ranges">Inclusive (first, last) pairs, already clipped to the subnet.</param>
    public AddressPool(IEnumerable<(uint First, uint Last)> ranges)
    {
        this.ranges = [.. ranges.OrderBy(r => r.First).Select(r => new PoolRange(r.First, r.Last))];
        FreeCount = this.ranges.Sum(r => (long)r.Count);
        totalWords = this.ranges.Sum(r => r.Words.Length);
    }

    /// <summary>How many addresses of the ranges are neither leased, offered, held nor reserved.</summary>
    public long FreeCount { get; private set; }

    public long Size => ranges.Sum(r => (long)r.Count);

    public bool Contains(uint address) => Find(address) is not null;

    public bool IsFree(uint address) => Find(address) is { } range && !range.IsUsed(address - range.First);

    /// <summary>Marks the address used; false when it is outside the ranges or already used.</summary>
    public bool TryMark(uint address)
    {
        if (Find(address) is not { } range || !range.TrySet(address - range.First))
            return false;
        FreeCount--;
        return true;
    }

    /// <summary>Returns the address to the pool; nothing happens for one outside it or already free.</summary>
    public void Free(uint address)
    {
        if (Find(address) is { } range && range.TryClear(address - range.First))
            FreeCount++;
    }

    public bool TryTake(out uint address)
    {
        address = 0;
        if (FreeCount <= 0 || ranges.Length == 0)
            return false;

        // The first word is looked at from the cursor's bit on, and once more in full at the end
        // of the round, so every bit is seen and the ones just behind the cursor come last.
        for (var visited = 0; visited <= totalWords; visited++)
        {
            var range = ranges[cursorRange];
            var word = range.Words[cursorWord];
            if (visited == 0)
                word |= (1UL << cursorBit) - 1;
            if (word != ulong.MaxValue)
            {
                var bit = BitOperations.TrailingZeroCount(~word);
                range.Words[cursorWord] |= 1UL << bit;
                address = range.First + (uint)((cursorWord * 64) + bit);
                FreeCount--;
                cursorBit = bit + 1;
                if (cursorBit == 64)
                    Advance();
                return true;
            }

            Advance();
        }

        return false;
    }

    private void Advance()
    {
        cursorBit = 0;
        if (++cursorWord == ranges[cursorRange].Words.Length)
        {
            cursorWord = 0;
            cursorRange = (cursorRange + 1) % ranges.Length;
        }
    }

    private PoolRange? Find(uint address)
    {
        foreach (var range in ranges)
        {
            if (address >= range.First && address - range.First < range.Count)
                return range;
        }

        return null;
    }

    private sealed class PoolRange
    {
        public PoolRange(uint first, uint last)
        {
            First = first;
            Count = last - first + 1;
            Words = new ulong[(Count + 63) / 64];
            // Bits past the end of the range are permanently used, so the scan never returns them.
            var tail = (int)(Count % 64);
            if (tail != 0)
                Words[^1] = ulong.MaxValue << tail;
        }

        public uint First { get; }

        public uint Count { get; }

        public ulong[] Words { get; }

        public bool IsUsed(uint offset) => (Words[offset / 64] & (1UL << (int)(offset % 64))) != 0;

        public bool TrySet(uint offset)
        {
            if (IsUsed(offset))
                return false;
            Words[offset / 64] |= 1UL << (int)(offset % 64);
            return true;
        }

        public bool TryClear(uint offset)
        {
            if (!IsUsed(offset))
                return false;
            Words[offset / 64] &= ~(1UL << (int)(offset % 64));
            return true;
        }
    }
}

namespace Anvil.Domain.Network;

/// <summary>An inclusive interval of 128-bit address numbers.</summary>
internal readonly record struct AddressInterval(UInt128 First, UInt128 Last)
{
    public UInt128 Count => Last - First + 1;

    public bool Contains(UInt128 value) => value >= First && value <= Last;
}

/// <summary>Set operations on address intervals, the arithmetic behind free and used ranges.</summary>
internal static class AddressIntervals
{
    /// <summary>The union, as sorted, disjoint, non-adjacent intervals.</summary>
    public static List<AddressInterval> Merge(IEnumerable<AddressInterval> intervals)
    {
        var merged = new List<AddressInterval>();
        foreach (var next in intervals.OrderBy(i => i.First))
        {
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || next.First <= merged[^1].Last + 1))
            {
                if (next.Last > merged[^1].Last)
                    merged[^1] = merged[^1] with { Last = next.Last };
            }
            else
            {
                merged.Add(next);
            }
        }

        return merged;
    }

    /// <summary>The addresses of <paramref name="outer"/> that no interval of <paramref name="used"/> covers.</summary>
    public static List<AddressInterval> Subtract(IEnumerable<AddressInterval> outer, IEnumerable<AddressInterval> used)
    {
        var taken = Merge(used);
        var free = new List<AddressInterval>();
        foreach (var block in Merge(outer))
        {
            var cursor = block.First;
            var exhausted = false;
            foreach (var t in taken)
            {
                if (t.Last < cursor || t.First > block.Last)
                    continue;
                if (t.First > cursor)
                    free.Add(new AddressInterval(cursor, t.First - 1));
                if (t.Last >= block.Last)
                {
                    exhausted = true;
                    break;
                }

                cursor = t.Last + 1;
            }

            if (!exhausted)
                free.Add(new AddressInterval(cursor, block.Last));
        }

        return free;
    }

    public static UInt128 Count(IEnumerable<AddressInterval> disjoint)
    {
        UInt128 total = 0;
        foreach (var interval in disjoint)
            total += interval.Count;
        return total;
    }
}

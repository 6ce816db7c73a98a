namespace Anvil.Domain.Ipam;

/// <summary>Which free addresses to hand out, in MAAS's order.</summary>
public static class AddressChooser
{
    /// <summary>
    /// Up to <paramref name="count"/> addresses: the smallest free range first (ties → the lower
    /// range), each from its start, then the next smallest range, and so on. Fewer come back when
    /// the set holds fewer.
    /// <para>
    /// <paramref name="skip"/> spreads concurrent allocators that lost a race: the order is rotated
    /// to start that many addresses in (modulo the set's size), and the skipped addresses come
    /// after the rest. A small skip stays among the smallest ranges. With 0 the order is exactly MAAS's.
    /// </para>
    /// </summary>
    public static IReadOnlyList<IpAddress> Pick(IpRangeSet free, int count, UInt128 skip = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var picked = new List<IpAddress>(count);
        var ranges = free.Ranges.OrderBy(r => r.Count).ThenBy(r => r.First.Value).ToList();
        if (ranges.Count == 0 || count == 0)
            return picked;

        var total = free.Count;
        var offset = total == UInt128.MaxValue ? skip : skip % total;
        var start = 0;
        while (offset >= ranges[start].Count)
        {
            offset -= ranges[start].Count;
            start++;
        }

        // Rotate: the rest of the range the skip lands in, the ranges after it, the ranges before
        // it, and last the part of its range that was skipped.
        var rotated = new List<IpRange>(ranges.Count + 1) { new(ranges[start].First.Add(offset), ranges[start].Last) };
        rotated.AddRange(ranges.Skip(start + 1));
        rotated.AddRange(ranges.Take(start));
        if (offset > UInt128.Zero)
            rotated.Add(new IpRange(ranges[start].First, new IpAddress(ranges[start].First.Value + offset - 1, ranges[start].Family)));

        foreach (var range in rotated)
        {
            for (var value = range.First.Value; picked.Count < count; value++)
            {
                picked.Add(new IpAddress(value, range.Family));
                if (value == range.Last.Value)
                    break;
            }

            if (picked.Count == count)
                break;
        }

        return picked;
    }
}

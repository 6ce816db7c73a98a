namespace Anvil.Domain.Ipam;

/// <summary>Which free addresses to hand out, in MAAS's order.</summary>
public static class AddressChooser
{
    /// <summary>
    /// Up to <paramref name="count"/> addresses: the smallest free range first (ties → the lower
    /// range), each from its start, then the next smallest range, and so on. Fewer come back when
    /// the set holds fewer.
    /// <para>
    /// <paramref name="skip"/> spreads concurrent allocators that lost a race: it starts that many
    /// addresses into the smallest range (modulo its size) and hands out the skipped ones right after
    /// the rest of that range, so the smallest range still fills first. With 0 the order is exactly MAAS's.
    /// </para>
    /// </summary>
    public static IReadOnlyList<IpAddress> Pick(IpRangeSet free, int count, UInt128 skip = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var picked = new List<IpAddress>(count);
        var ranges = free.Ranges.OrderBy(r => r.Count).ThenBy(r => r.First.Value).ToList();
        if (ranges.Count == 0 || count == 0)
            return picked;

        var smallest = ranges[0];
        var offset = skip % smallest.Count;
        var skipped = offset == UInt128.Zero ? null : (IpRange?)new IpRange(smallest.First, new IpAddress(smallest.First.Value + offset - 1, smallest.Family));
        ranges[0] = new IpRange(smallest.First.Add(offset), smallest.Last);
        if (skipped is { } head)
            ranges.Insert(1, head);

        foreach (var range in ranges)
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

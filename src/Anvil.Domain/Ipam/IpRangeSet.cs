namespace Anvil.Domain.Ipam;

/// <summary>
/// A set of addresses of one family held as sorted, disjoint, non-adjacent inclusive ranges.
/// Union, subtraction and counting work on the ranges, never on single addresses, so an IPv6
/// /64 costs the same as an IPv4 /30. Immutable.
/// </summary>
public sealed class IpRangeSet
{
    private readonly (UInt128 First, UInt128 Last)[] _spans;

    private IpRangeSet(IpFamily family, (UInt128 First, UInt128 Last)[] spans)
    {
        Family = family;
        _spans = spans;
    }

    public IpFamily Family { get; }

    public bool IsEmpty => _spans.Length == 0;

    /// <summary>The ranges in address order, none touching another.</summary>
    public IReadOnlyList<IpRange> Ranges => _spans.Select(s => new IpRange(new IpAddress(s.First, Family), new IpAddress(s.Last, Family))).ToList();

    /// <summary>How many addresses the set holds, saturating at <see cref="UInt128.MaxValue"/>.</summary>
    public UInt128 Count
    {
        get
        {
            var total = UInt128.Zero;
            foreach (var (first, last) in _spans)
            {
                var size = IpRange.SizeOf(first, last);
                total = UInt128.MaxValue - total < size ? UInt128.MaxValue : total + size;
            }

            return total;
        }
    }

    public static IpRangeSet Empty(IpFamily family) => new(family, []);

    /// <summary>The union of <paramref name="ranges"/>, which may overlap or touch and come in any order.</summary>
    public static IpRangeSet Of(IpFamily family, IEnumerable<IpRange> ranges)
    {
        var spans = new List<(UInt128 First, UInt128 Last)>();
        foreach (var range in ranges)
        {
            if (range.Family != family)
                throw new ArgumentException($"A set of {family} addresses cannot hold {range}.", nameof(ranges));
            spans.Add((range.First.Value, range.Last.Value));
        }

        return new IpRangeSet(family, Normalize(spans));
    }

    public static IpRangeSet Of(IpRange range) => Of(range.Family, [range]);

    public IpRangeSet Union(IpRangeSet other)
    {
        RequireSameFamily(other);
        return new IpRangeSet(Family, Normalize([.. _spans, .. other._spans]));
    }

    /// <summary>The addresses of this set that are not in <paramref name="other"/>; one pass over both.</summary>
    public IpRangeSet Subtract(IpRangeSet other)
    {
        RequireSameFamily(other);
        var removed = other._spans;
        var result = new List<(UInt128 First, UInt128 Last)>(_spans.Length);
        var j = 0;
        foreach (var (first, last) in _spans)
        {
            while (j < removed.Length && removed[j].Last < first)
                j++;
            var current = first;
            var consumed = false;
            for (var k = j; k < removed.Length && removed[k].First <= last; k++)
            {
                if (removed[k].First > current)
                    result.Add((current, removed[k].First - 1));
                if (removed[k].Last >= last)
                {
                    consumed = true;
                    break;
                }

                current = UInt128.Max(current, removed[k].Last + 1);
            }

            if (!consumed)
                result.Add((current, last));
        }

        return new IpRangeSet(Family, [.. result]);
    }

    public bool Contains(IpAddress address)
    {
        if (address.Family != Family)
            return false;
        int low = 0, high = _spans.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (_spans[middle].Last < address.Value)
                low = middle + 1;
            else if (_spans[middle].First > address.Value)
                high = middle - 1;
            else
                return true;
        }

        return false;
    }

    public override string ToString() => string.Join(", ", Ranges);

    private void RequireSameFamily(IpRangeSet other)
    {
        if (other.Family != Family)
            throw new ArgumentException($"Cannot combine {Family} and {other.Family} address sets.", nameof(other));
    }

    private static (UInt128 First, UInt128 Last)[] Normalize(List<(UInt128 First, UInt128 Last)> spans)
    {
        if (spans.Count == 0)
            return [];
        spans.Sort((a, b) => a.First.CompareTo(b.First));
        var merged = new List<(UInt128 First, UInt128 Last)>(spans.Count) { spans[0] };
        for (var i = 1; i < spans.Count; i++)
        {
            var (first, last) = merged[^1];
            // Touching ranges merge too: 1-5 and 6-9 are the set 1-9.
            if (last == UInt128.MaxValue || spans[i].First <= last + 1)
                merged[^1] = (first, UInt128.Max(last, spans[i].Last));
            else
                merged.Add(spans[i]);
        }

        return [.. merged];
    }
}

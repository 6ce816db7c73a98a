namespace Anvil.Domain.Ipam;

/// <summary>An inclusive range of addresses of one family; <see cref="First"/> ≤ <see cref="Last"/>.</summary>
public readonly record struct IpRange
{
    public IpRange(IpAddress first, IpAddress last)
    {
        if (first.Family != last.Family)
            throw new ArgumentException("A range's ends are of one address family.", nameof(last));
        if (first.Value > last.Value)
            throw new ArgumentException($"A range starts at or before its end ({first} > {last}).", nameof(last));
        First = first;
        Last = last;
    }

    public IpAddress First { get; }

    public IpAddress Last { get; }

    public IpFamily Family => First.Family;

    /// <summary>How many addresses the range holds; the whole IPv6 space (2^128) reads as <see cref="UInt128.MaxValue"/>.</summary>
    public UInt128 Count => SizeOf(First.Value, Last.Value);

    public static IpRange Single(IpAddress address) => new(address, address);

    public bool Contains(IpAddress address) =>
        address.Family == Family && address.Value >= First.Value && address.Value <= Last.Value;

    public override string ToString() => First == Last ? First.ToString() : $"{First}-{Last}";

    internal static UInt128 SizeOf(UInt128 first, UInt128 last) =>
        first == UInt128.Zero && last == UInt128.MaxValue ? UInt128.MaxValue : last - first + 1;
}

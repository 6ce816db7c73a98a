using System.Globalization;
using System.Net;

namespace Anvil.Domain.Network;

/// <summary>
/// MAAS's subnet <c>statistics</c>: counts over the subnet's usable addresses, the usage
/// percentage, and (on request) a suggested gateway and dynamic range for an unconfigured subnet.
/// Counts are of distinct addresses, so an address that is both reserved and assigned counts once.
/// </summary>
public sealed record SubnetStatistics(
    UInt128 NumAvailable,
    UInt128 LargestAvailable,
    UInt128 NumUnavailable,
    UInt128 TotalAddresses,
    double Usage,
    string UsageString,
    string AvailableString,
    IPAddress? FirstAddress,
    IPAddress? LastAddress,
    int IpVersion,
    IReadOnlyList<AddressRange> Ranges,
    IPAddress? SuggestedGateway,
    AddressRange? SuggestedDynamicRange)
{
    public static SubnetStatistics From(SubnetUsage usage)
    {
        var ranges = usage.Utilization();
        var unused = ranges.Where(r => r.Purposes.Contains(IpRangePurposes.Unused)).ToList();
        var all = AddressIntervals.Merge(ranges.Select(r => new AddressInterval(r.First, r.Last)));
        var total = AddressIntervals.Count(all);
        var available = AddressIntervals.Count(unused.Select(r => new AddressInterval(r.First, r.Last)));
        var largest = unused.Count == 0 ? UInt128.Zero : unused.Max(r => r.NumAddresses);
        var usageFraction = total == 0 ? 0.0 : (double)(total - available) / (double)total;
        var availableFraction = total == 0 ? 0.0 : (double)available / (double)total;
        var gateway = SuggestGateway(usage, unused);
        return new SubnetStatistics(
            available,
            largest,
            total - available,
            total,
            usageFraction,
            Percent(usageFraction),
            Percent(availableFraction),
            all.Count == 0 ? null : usage.Cidr.AddressAt(all[0].First),
            all.Count == 0 ? null : usage.Cidr.AddressAt(all[^1].Last),
            usage.Cidr.Version,
            ranges,
            gateway,
            SuggestDynamicRange(usage, ranges, unused, available, gateway));
    }

    /// <summary>Python's <c>"{:.0%}"</c>: a whole percentage, halves rounded to even.</summary>
    private static string Percent(double fraction) =>
        Math.Round(fraction * 100, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>The first usable address if free, else the last usable one if free, else the lowest free one.</summary>
    private static IPAddress? SuggestGateway(SubnetUsage usage, List<AddressRange> unused)
    {
        if (unused.Count == 0)
            return null;
        var usable = usage.Usable();
        if (unused.Any(r => r.First <= usable.First && usable.First <= r.Last))
            return usage.Cidr.AddressAt(usable.First);
        if (unused.Any(r => r.First <= usable.Last && usable.Last <= r.Last))
            return usage.Cidr.AddressAt(usable.Last);
        return unused.MinBy(r => r.First)!.Start;
    }

    /// <summary>
    /// None when a dynamic range exists. Otherwise the top of the largest free run (the suggested
    /// gateway left out): a quarter of the subnet, or half of what is free when less than a quarter is.
    /// </summary>
    private static AddressRange? SuggestDynamicRange(SubnetUsage usage, IReadOnlyList<AddressRange> ranges, List<AddressRange> unused, UInt128 available, IPAddress? gateway)
    {
        if (ranges.Any(r => r.Purposes.Contains(IpRangePurposes.Dynamic)))
            return null;
        var candidates = unused.Select(r => new AddressInterval(r.First, r.Last));
        if (gateway is not null)
        {
            var g = IpAddresses.ToNumber(gateway);
            candidates = AddressIntervals.Subtract(candidates, [new AddressInterval(g, g)]);
        }

        AddressInterval? largest = null;
        foreach (var candidate in candidates)
        {
            if (largest is null || candidate.Count >= largest.Value.Count)
                largest = candidate;
        }

        if (largest is not { } block)
            return null;
        var quarter = usage.Cidr.Size >> 2;
        var size = available >= quarter ? quarter : available >> 1;
        size = UInt128.Min(size, block.Count);
        if (size == 0)
            return null;
        return usage.ToRange(new AddressInterval(block.Last - size + 1, block.Last), [IpRangePurposes.ProposedDynamic]);
    }
}

using System.Globalization;
using Anvil.Domain.Ipam;

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
    IpAddress? FirstAddress,
    IpAddress? LastAddress,
    int IpVersion,
    IReadOnlyList<AddressRange> Ranges,
    IpAddress? SuggestedGateway,
    AddressRange? SuggestedDynamicRange)
{
    public static SubnetStatistics From(SubnetUsage usage)
    {
        var ranges = usage.Utilization();
        var family = usage.Cidr.Family;
        var unused = ranges.Where(r => r.Purposes.Contains(IpRangePurposes.Unused)).ToList();
        var covered = IpRangeSet.Of(family, ranges.Select(r => r.Range));
        var all = covered.Ranges;
        var total = covered.Count;
        var available = IpRangeSet.Of(family, unused.Select(r => r.Range)).Count;
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
            all.Count == 0 ? null : all[0].First,
            all.Count == 0 ? null : all[^1].Last,
            (int)family,
            ranges,
            gateway,
            SuggestDynamicRange(usage, ranges, unused, available, gateway));
    }

    /// <summary>Python's <c>"{:.0%}"</c>: a whole percentage, halves rounded to even.</summary>
    private static string Percent(double fraction) =>
        Math.Round(fraction * 100, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>The first usable address if free, else the last usable one if free, else the lowest free one.</summary>
    private static IpAddress? SuggestGateway(SubnetUsage usage, List<AddressRange> unused)
    {
        if (unused.Count == 0)
            return null;
        var usable = usage.Cidr.HostRange;
        if (unused.Any(r => r.Contains(usable.First)))
            return usable.First;
        if (unused.Any(r => r.Contains(usable.Last)))
            return usable.Last;
        return unused.MinBy(r => r.Start)!.Start;
    }

    /// <summary>
    /// None when a dynamic range exists. Otherwise the top of the largest free run (the suggested
    /// gateway left out): a quarter of the subnet, or half of what is free when less than a quarter is.
    /// </summary>
    private static AddressRange? SuggestDynamicRange(SubnetUsage usage, IReadOnlyList<AddressRange> ranges, List<AddressRange> unused, UInt128 available, IpAddress? gateway)
    {
        if (ranges.Any(r => r.Purposes.Contains(IpRangePurposes.Dynamic)))
            return null;
        var candidates = IpRangeSet.Of(usage.Cidr.Family, unused.Select(r => r.Range));
        if (gateway is { } g)
            candidates = FreeSpace.Within(candidates, [IpRange.Single(g)]);

        IpRange? largest = null;
        foreach (var candidate in candidates.Ranges)
        {
            if (largest is null || candidate.Count >= largest.Value.Count)
                largest = candidate;
        }

        if (largest is not { } block)
            return null;
        var quarter = usage.Cidr.All.Count >> 2;
        var size = available >= quarter ? quarter : available >> 1;
        size = UInt128.Min(size, block.Count);
        if (size == 0)
            return null;
        return new AddressRange(new IpRange(new IpAddress(block.Last.Value - size + 1, block.Family), block.Last), [IpRangePurposes.ProposedDynamic]);
    }
}

namespace Anvil.Domain.Ipam;

/// <summary>Free address space: what is left of a space once the taken ranges are cut out.</summary>
public static class FreeSpace
{
    /// <summary>
    /// Where the allocator may hand out static addresses: the host range of <paramref name="subnet"/>
    /// without its gateway, its DNS servers, its reserved and dynamic ranges and the addresses
    /// already in use. Entries of the other family or outside the subnet are ignored (a subnet's
    /// DNS servers may live anywhere).
    /// </summary>
    public static IpRangeSet Compute(
        IpNetwork subnet,
        IpAddress? gateway,
        IEnumerable<IpAddress> dnsServers,
        IEnumerable<IpRange> excludedRanges,
        IEnumerable<IpRange> used)
    {
        var taken = new List<IpRange>();
        if (gateway is { } g)
            taken.Add(IpRange.Single(g));
        taken.AddRange(dnsServers.Select(IpRange.Single));
        taken.AddRange(excludedRanges);
        taken.AddRange(used);
        return Within(IpRangeSet.Of(subnet.HostRange), taken);
    }

    /// <summary>The addresses of <paramref name="space"/> that no range of <paramref name="taken"/> covers; ranges of the other family are ignored.</summary>
    public static IpRangeSet Within(IpRangeSet space, IEnumerable<IpRange> taken) =>
        space.Subtract(IpRangeSet.Of(space.Family, taken.Where(r => r.Family == space.Family)));
}

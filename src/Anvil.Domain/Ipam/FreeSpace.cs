namespace Anvil.Domain.Ipam;

/// <summary>Where a subnet can still hand out static addresses.</summary>
public static class FreeSpace
{
    /// <summary>
    /// The host range of <paramref name="subnet"/> without its gateway, its DNS servers, its
    /// reserved and dynamic ranges and the addresses already in use. Entries of the other family
    /// or outside the subnet are ignored (a subnet's DNS servers may live anywhere).
    /// </summary>
    public static IpRangeSet Compute(
        IpNetwork subnet,
        IpAddress? gateway,
        IEnumerable<IpAddress> dnsServers,
        IEnumerable<IpRange> excludedRanges,
        IEnumerable<IpRange> used)
    {
        var family = subnet.Family;
        var taken = new List<IpRange>();
        if (gateway is { } g && g.Family == family)
            taken.Add(IpRange.Single(g));
        taken.AddRange(dnsServers.Where(d => d.Family == family).Select(IpRange.Single));
        taken.AddRange(excludedRanges.Where(r => r.Family == family));
        taken.AddRange(used.Where(r => r.Family == family));
        return IpRangeSet.Of(subnet.HostRange).Subtract(IpRangeSet.Of(family, taken));
    }
}

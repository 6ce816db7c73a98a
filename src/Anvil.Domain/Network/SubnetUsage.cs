using Anvil.Domain.Ipam;

namespace Anvil.Domain.Network;

/// <summary>
/// Which addresses of one subnet are in use and which are free, following MAAS's rules:
/// <list type="bullet">
/// <item>In use: IP ranges, the gateway, DNS servers inside the subnet, gateways of static routes
/// leaving the subnet, allocated addresses, and for IPv6 the subnet-router anycast address
/// (and <c>::1</c>–<c>::ffff:ffff</c> on a /64).</item>
/// <item>Never free: the network address (and the IPv4 broadcast address) except on /31, /32,
/// /127 and /128.</item>
/// <item>On an unmanaged subnet a reserved range is where MAAS <em>may</em> allocate: free
/// addresses are those inside reserved ranges.</item>
/// </list>
/// Shared by the subnet operations and IP range validation. The allocator's free space
/// (<see cref="FreeSpace.Compute"/>) is the same computation with its own, narrower list of what is taken.
/// </summary>
public sealed class SubnetUsage(SubnetUsageInput input)
{
    private const string ReservedType = "reserved";
    private const string DynamicType = "dynamic";

    public SubnetUsageInput Input { get; } = input;

    public IpNetwork Cidr => Input.Cidr;

    /// <summary>What <c>reserved_ip_ranges</c> lists: in-use ranges, one entry per distinct (start, end), purposes merged.</summary>
    public IReadOnlyList<AddressRange> InUse() => Render(Tagged(includeDiscovered: true, excludeRangeId: null));

    /// <summary>What <c>unreserved_ip_ranges</c> lists: the free addresses.</summary>
    public IReadOnlyList<AddressRange> Free() => FreeOf(Tagged(includeDiscovered: true, excludeRangeId: null), excludeRangeId: null);

    /// <summary>Every usable address once: in-use entries and free runs (purpose <c>unused</c>), sorted by start.</summary>
    public IReadOnlyList<AddressRange> Utilization()
    {
        var inUse = InUse();
        var unused = Unused(Usable, Tagged(includeDiscovered: true, excludeRangeId: null), IpRangePurposes.Unused);
        return [.. inUse.Concat(unused).OrderBy(r => r.Start).ThenBy(r => r.End)];
    }

    /// <summary>Where a reserved range may go: anywhere no other range is (an unmanaged subnet ignores its dynamic ranges).</summary>
    public IReadOnlyList<AddressRange> AvailableForReservedRange(long? excludeRangeId)
    {
        var used = Ipv6Automatic().Concat(RangeTags(excludeRangeId).Where(t => Input.Managed || t.Purpose == IpRangePurposes.Reserved));
        return Unused(Usable, used);
    }

    /// <summary>Where a dynamic range may go: clear of ranges, the gateway, DNS servers, route gateways and static addresses.</summary>
    public IReadOnlyList<AddressRange> AvailableForDynamicRange(long? excludeRangeId) =>
        FreeOf(Tagged(includeDiscovered: false, excludeRangeId), excludeRangeId);

    /// <summary>The addresses that may ever be free: the subnet's host range.</summary>
    private IpRangeSet Usable => IpRangeSet.Of(Cidr.HostRange);

    private List<AddressRange> FreeOf(List<(IpRange Range, string Purpose)> used, long? excludeRangeId) =>
        Input.Managed
            ? Unused(Usable, used)
            : Unused(
                IpRangeSet.Of(Cidr.Family, RangeTags(excludeRangeId).Where(t => t.Purpose == IpRangePurposes.Reserved).Select(t => t.Range)),
                used.Where(t => t.Purpose != IpRangePurposes.Reserved));

    private List<(IpRange Range, string Purpose)> Tagged(bool includeDiscovered, long? excludeRangeId)
    {
        var tags = Ipv6Automatic().ToList();
        tags.AddRange(RangeTags(excludeRangeId));
        if (Input.GatewayIp is { } gateway && Cidr.Contains(gateway))
            tags.Add((IpRange.Single(gateway), IpRangePurposes.GatewayIp));
        tags.AddRange(Input.DnsServers.Where(Cidr.Contains).Select(d => (IpRange.Single(d), IpRangePurposes.DnsServer)));
        tags.AddRange(Input.RouteGateways.Where(Cidr.Contains).Select(g => (IpRange.Single(g), IpRangePurposes.GatewayIp)));
        tags.AddRange(Input.Addresses
            .Where(a => (includeDiscovered || !a.Discovered) && Cidr.Contains(a.Ip))
            .Select(a => (IpRange.Single(a.Ip), IpRangePurposes.AssignedIp)));
        return tags;
    }

    /// <summary>The subnet's ranges; one of the other family (which validation never lets in) is left out.</summary>
    private IEnumerable<(IpRange Range, string Purpose)> RangeTags(long? excludeRangeId) =>
        Input.Ranges
            .Where(r => r.Id != excludeRangeId && (r.Type is ReservedType or DynamicType) && r.Start.Family == Cidr.Family && r.End.Family == Cidr.Family)
            .Select(r => (new IpRange(r.Start, r.End), r.Type == ReservedType ? IpRangePurposes.Reserved : IpRangePurposes.Dynamic));

    private IEnumerable<(IpRange Range, string Purpose)> Ipv6Automatic()
    {
        if (Cidr.Family != IpFamily.V6)
            yield break;
        var first = Cidr.First;
        if (Cidr.PrefixLength == 64)
            yield return (new IpRange(first.Add(1), first.Add(0xFFFF_FFFF)), IpRangePurposes.Reserved);
        if (Cidr.PrefixLength < 127)
            yield return (IpRange.Single(first), IpRangePurposes.Rfc4291);
    }

    private static List<AddressRange> Render(IEnumerable<(IpRange Range, string Purpose)> tags) =>
        [.. tags
            .GroupBy(t => t.Range)
            .OrderBy(g => g.Key.First)
            .ThenBy(g => g.Key.Last)
            .Select(g => new AddressRange(g.Key, [.. g.Select(t => t.Purpose).Distinct().Order(StringComparer.Ordinal)]))];

    private static List<AddressRange> Unused(IpRangeSet space, IEnumerable<(IpRange Range, string Purpose)> used, string? purpose = null) =>
        [.. FreeSpace.Within(space, used.Select(t => t.Range)).Ranges.Select(r => new AddressRange(r, purpose is null ? [] : [purpose]))];
}

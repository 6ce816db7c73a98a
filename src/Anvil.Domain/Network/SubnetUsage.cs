using System.Net.Sockets;

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
/// Shared by the subnet operations, IP range validation and address allocation.
/// </summary>
public sealed class SubnetUsage(SubnetUsageInput input)
{
    private const string ReservedType = "reserved";
    private const string DynamicType = "dynamic";

    public SubnetUsageInput Input { get; } = input;

    public IpNetwork Cidr => Input.Cidr;

    /// <summary>What <c>reserved_ip_ranges</c> lists: in-use ranges, one entry per distinct (start, end), purposes merged.</summary>
    public IReadOnlyList<AddressRange> InUse() => Render(Tagged(ranges: true, subnetIps: true, allocated: true, includeDiscovered: true, excludeRangeId: null));

    /// <summary>What <c>unreserved_ip_ranges</c> lists: the free addresses.</summary>
    public IReadOnlyList<AddressRange> Free()
    {
        var used = Tagged(ranges: true, subnetIps: true, allocated: true, includeDiscovered: true, excludeRangeId: null);
        return Input.Managed
            ? Unused(Usable(), used)
            : Unused(ReservedIntervals(null), used.Where(t => t.Purpose != IpRangePurposes.Reserved));
    }

    /// <summary>Every usable address once: in-use entries and free runs (purpose <c>unused</c>), sorted by start.</summary>
    public IReadOnlyList<AddressRange> Utilization()
    {
        var inUse = InUse();
        var unused = Unused(Usable(), Tagged(ranges: true, subnetIps: true, allocated: true, includeDiscovered: true, excludeRangeId: null), IpRangePurposes.Unused);
        return [.. inUse.Concat(unused).OrderBy(r => r.First).ThenBy(r => r.Last)];
    }

    /// <summary>Where a reserved range may go: anywhere no other range is (an unmanaged subnet ignores its dynamic ranges).</summary>
    public IReadOnlyList<AddressRange> AvailableForReservedRange(long? excludeRangeId)
    {
        var used = Ipv6Automatic().Concat(RangeTags(excludeRangeId).Where(t => Input.Managed || t.Purpose == IpRangePurposes.Reserved));
        return Unused(Usable(), used);
    }

    /// <summary>Where a dynamic range may go: clear of ranges, the gateway, DNS servers, route gateways and static addresses.</summary>
    public IReadOnlyList<AddressRange> AvailableForDynamicRange(long? excludeRangeId)
    {
        var used = Tagged(ranges: true, subnetIps: true, allocated: true, includeDiscovered: false, excludeRangeId);
        return Input.Managed
            ? Unused(Usable(), used)
            : Unused(ReservedIntervals(excludeRangeId), used.Where(t => t.Purpose != IpRangePurposes.Reserved));
    }

    /// <summary>Where a new static address may come from, with <paramref name="excluded"/> treated as taken.</summary>
    public IReadOnlyList<AddressRange> AvailableForAllocation(IEnumerable<System.Net.IPAddress> excluded)
    {
        var used = Tagged(ranges: true, subnetIps: true, allocated: true, includeDiscovered: true, excludeRangeId: null)
            .Concat(excluded.Where(Cidr.Contains).Select(a => Tag(a, a, IpRangePurposes.Excluded)))
            .ToList();
        return Input.Managed
            ? Unused(Usable(), used)
            : Unused(ReservedIntervals(null), used.Where(t => t.Purpose != IpRangePurposes.Reserved));
    }

    /// <summary>The addresses that may ever be free: the network less its network (and broadcast) address.</summary>
    internal AddressInterval Usable()
    {
        var first = Cidr.First;
        var last = Cidr.Last;
        var pointToPoint = Cidr.PrefixLength >= Cidr.MaxPrefixLength - 1;
        if (!pointToPoint)
        {
            first += 1;
            if (Cidr.Family == AddressFamily.InterNetwork)
                last -= 1;
        }

        return new AddressInterval(first, last);
    }

    private List<(AddressInterval Interval, string Purpose)> Tagged(bool ranges, bool subnetIps, bool allocated, bool includeDiscovered, long? excludeRangeId)
    {
        var tags = Ipv6Automatic().ToList();
        if (ranges)
            tags.AddRange(RangeTags(excludeRangeId));
        if (subnetIps)
        {
            if (Input.GatewayIp is { } gateway && Cidr.Contains(gateway))
                tags.Add(Tag(gateway, gateway, IpRangePurposes.GatewayIp));
            tags.AddRange(Input.DnsServers.Where(Cidr.Contains).Select(d => Tag(d, d, IpRangePurposes.DnsServer)));
            tags.AddRange(Input.RouteGateways.Where(Cidr.Contains).Select(g => Tag(g, g, IpRangePurposes.GatewayIp)));
        }

        if (allocated)
        {
            tags.AddRange(Input.Addresses
                .Where(a => (includeDiscovered || !a.Discovered) && Cidr.Contains(a.Ip))
                .Select(a => Tag(a.Ip, a.Ip, IpRangePurposes.AssignedIp)));
        }

        return tags;
    }

    private IEnumerable<(AddressInterval Interval, string Purpose)> RangeTags(long? excludeRangeId) =>
        Input.Ranges
            .Where(r => r.Id != excludeRangeId && (r.Type is ReservedType or DynamicType))
            .Select(r => Tag(r.Start, r.End, r.Type == ReservedType ? IpRangePurposes.Reserved : IpRangePurposes.Dynamic));

    private List<AddressInterval> ReservedIntervals(long? excludeRangeId) =>
        [.. RangeTags(excludeRangeId).Where(t => t.Purpose == IpRangePurposes.Reserved).Select(t => t.Interval)];

    private IEnumerable<(AddressInterval Interval, string Purpose)> Ipv6Automatic()
    {
        if (Cidr.Family != AddressFamily.InterNetworkV6)
            yield break;
        var first = Cidr.First;
        if (Cidr.PrefixLength == 64)
            yield return (new AddressInterval(first + 1, first + 0xFFFF_FFFF), IpRangePurposes.Reserved);
        if (Cidr.PrefixLength < 127)
            yield return (new AddressInterval(first, first), IpRangePurposes.Rfc4291);
    }

    private static (AddressInterval Interval, string Purpose) Tag(System.Net.IPAddress start, System.Net.IPAddress end, string purpose) =>
        (new AddressInterval(IpAddresses.ToNumber(start), IpAddresses.ToNumber(end)), purpose);

    private List<AddressRange> Render(IEnumerable<(AddressInterval Interval, string Purpose)> tags) =>
        [.. tags
            .GroupBy(t => t.Interval)
            .OrderBy(g => g.Key.First)
            .ThenBy(g => g.Key.Last)
            .Select(g => ToRange(g.Key, [.. g.Select(t => t.Purpose).Distinct().Order(StringComparer.Ordinal)]))];

    private List<AddressRange> Unused(AddressInterval outer, IEnumerable<(AddressInterval Interval, string Purpose)> used, string? purpose = null) =>
        Unused([outer], used, purpose);

    private List<AddressRange> Unused(IEnumerable<AddressInterval> outer, IEnumerable<(AddressInterval Interval, string Purpose)> used, string? purpose = null) =>
        [.. AddressIntervals.Subtract(outer, used.Select(t => t.Interval)).Select(i => ToRange(i, purpose is null ? [] : [purpose]))];

    internal AddressRange ToRange(AddressInterval interval, IReadOnlyList<string> purposes) =>
        new(Cidr.AddressAt(interval.First), Cidr.AddressAt(interval.Last), interval.Count, purposes);
}

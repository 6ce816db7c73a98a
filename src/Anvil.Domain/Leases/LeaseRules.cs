using Anvil.Domain.Ipam;
using Anvil.Domain.Naming;

namespace Anvil.Domain.Leases;

/// <summary>
/// The decisions of lease processing that need no database (maas-api.md §11.1, rules 1, 2 and the
/// hostname part of 5); the data layer applies rules 3–6 with what these return.
/// </summary>
public static class LeaseRules
{
    /// <summary>Rules 1 and 2: the best subnet for the address, if the lease is to be recorded at all.</summary>
    public static LeaseDecision Decide(LeaseEvent lease, IReadOnlyList<LeaseSubnet> subnets)
    {
        if (NormaliseMac(lease.Mac) is null)
            return LeaseDecision.Error($"'{lease.Mac}' is not a MAC address.");
        if (!IpAddress.TryParse(lease.Ip, out var ip))
            return LeaseDecision.Error($"'{lease.Ip}' is not an IP address.");
        if (ip.Family != lease.Family)
            return LeaseDecision.Error($"Family for the subnet does not match. Expected: {FamilyName(lease.Family)}");
        if (BestSubnet(ip, subnets) is not { } subnet)
            return LeaseDecision.Error($"No subnet exists for: {lease.Ip}");
        return subnet.DynamicRanges.Any(r => r.Contains(ip))
            ? LeaseDecision.Apply(subnet)
            : LeaseDecision.Ignore($"{lease.Ip} is not inside a dynamic range of {subnet.Cidr}.");
    }

    /// <summary>The most specific subnet (longest prefix) that contains the address.</summary>
    public static LeaseSubnet? BestSubnet(IpAddress ip, IReadOnlyList<LeaseSubnet> subnets)
    {
        LeaseSubnet? best = null;
        foreach (var subnet in subnets)
        {
            if (subnet.Cidr.Contains(ip) && (best is null || subnet.Cidr.PrefixLength > best.Cidr.PrefixLength))
                best = subnet;
        }

        return best;
    }

    /// <summary>Rule 5: the hostname a commit registers in DNS, or null when it has none worth keeping.</summary>
    public static string? DynamicHostname(string? hostname)
    {
        if (string.IsNullOrWhiteSpace(hostname) || hostname == "(none)")
            return null;
        var name = hostname.Trim().ToLowerInvariant();
        return Hostnames.IsValid(name) ? name : null;
    }

    /// <summary>The MAC in PostgreSQL's <c>macaddr</c> text form (lower-case, colons), or null when it is not one.</summary>
    public static string? NormaliseMac(string mac)
    {
        var hex = mac.Trim().Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (hex.Length != 12 || !hex.All(char.IsAsciiHexDigit))
            return null;
        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2))).ToLowerInvariant();
    }

    private static string FamilyName(IpFamily family) => family == IpFamily.V4 ? "ipv4" : "ipv6";
}

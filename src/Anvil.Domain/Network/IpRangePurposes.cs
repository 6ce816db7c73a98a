namespace Anvil.Domain.Network;

/// <summary>Why an address is unavailable, as MAAS names it in <c>reserved_ip_ranges</c> and statistics.</summary>
public static class IpRangePurposes
{
    public const string GatewayIp = "gateway-ip";
    public const string Reserved = "reserved";
    public const string Dynamic = "dynamic";
    public const string ProposedDynamic = "proposed-dynamic";
    public const string Unmanaged = "unmanaged";
    public const string AssignedIp = "assigned-ip";
    public const string DnsServer = "dns-server";
    public const string Excluded = "excluded";
    public const string Neighbour = "neighbour";
    public const string Rfc4291 = "rfc-4291-2.6.1";
    public const string Unused = "unused";
}

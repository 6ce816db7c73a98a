namespace Anvil.Domain.Allocation;

/// <summary>
/// What exists in the region, for validating and resolving constraints the way MAAS does against
/// its database: unknown zones, pools and tags are field errors, and subnet and VLAN specifiers
/// resolve against every subnet and VLAN (so <c>subnets=space:x</c> means all subnets of space x).
/// </summary>
public sealed record KnownNames
{
    public IReadOnlySet<string> Zones { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    public IReadOnlySet<string> Pools { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    public IReadOnlySet<string> Tags { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    /// <summary>Usernames for <c>owner</c>; null skips the check.</summary>
    public IReadOnlySet<string>? Users { get; init; }
    /// <summary>Usable architectures (<c>arch/subarch</c>) for <c>arch</c>; null skips the check and matches by prefix.</summary>
    public IReadOnlySet<string>? Architectures { get; init; }
    public IReadOnlyList<KnownSubnet> Subnets { get; init; } = [];
    public IReadOnlyList<KnownVlan> Vlans { get; init; } = [];
}

public sealed record KnownSubnet(long Id, string Name, string Cidr, long VlanId);

public sealed record KnownVlan(
    long Id,
    int Vid,
    string Name,
    long FabricId,
    string FabricName,
    string? FabricClassType = null,
    long? SpaceId = null,
    string? SpaceName = null) : IVlanFacts;

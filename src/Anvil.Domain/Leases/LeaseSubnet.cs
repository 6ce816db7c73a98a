using Anvil.Domain.Ipam;

namespace Anvil.Domain.Leases;

/// <summary>A subnet as lease processing sees it: its block, its VLAN and its dynamic ranges.</summary>
public sealed record LeaseSubnet(long Id, long VlanId, IpNetwork Cidr, IReadOnlyList<IpRange> DynamicRanges);

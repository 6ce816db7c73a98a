using Anvil.Domain.Dhcp;
using Anvil.Domain.Ipam;

namespace Anvil.Rack.Dhcp;

/// <summary>
/// Everything the DHCPv4 server serves, as the rack builds it from the region's config: one entry
/// per subnet of a VLAN with DHCP on where this rack is primary (or secondary with the primary
/// marked dead), plus the host reservations. A new config replaces the old one whole; leases
/// already handed out stay valid if their address is still inside a dynamic range.
/// </summary>
public sealed record DhcpServerConfig(IReadOnlyList<DhcpSubnetConfig> Subnets, IReadOnlyList<DhcpHostReservation> Hosts)
{
    public static DhcpServerConfig Empty { get; } = new([], []);

    /// <summary>Lease time for ordinary clients, in seconds (MAAS: 600).</summary>
    public int DefaultLeaseSeconds { get; init; } = 600;

    /// <summary>Lease time for clients whose vendor class starts with <c>PXEClient</c>, in seconds (MAAS: 30).</summary>
    public int PxeLeaseSeconds { get; init; } = 30;

    /// <summary>Options from global DHCP snippets, sent to every client unless a subnet or host overrides the code.</summary>
    public IReadOnlyList<DhcpOption> GlobalOptions { get; init; } = [];
}

/// <summary>
/// One served subnet. <see cref="Interface"/> is the rack interface on the subnet's VLAN (null when
/// the subnet is reached only through relays, whose requests carry a giaddr inside it);
/// <see cref="ServerAddress"/> is the rack's own address there: the server identifier, next-server,
/// and the host of the boot URLs (<c>http://&lt;ServerAddress&gt;:5248/…</c>).
/// </summary>
public sealed record DhcpSubnetConfig(
    long SubnetId,
    IpNetwork Cidr,
    string? Interface,
    IpAddress ServerAddress,
    IReadOnlyList<IpRange> DynamicRanges)
{
    public IpAddress? Gateway { get; init; }
    public IReadOnlyList<IpAddress> DnsServers { get; init; } = [];
    public IReadOnlyList<IpAddress> NtpServers { get; init; } = [];
    public string? DomainName { get; init; }
    public IReadOnlyList<string> DomainSearch { get; init; } = [];
    public int Mtu { get; init; } = 1500;

    /// <summary>Boot-method names (<c>pxe</c>, <c>uefi_amd64_tftp</c>, … see BootArchitectures) this subnet does not answer.</summary>
    public IReadOnlyList<string> DisabledBootArchitectures { get; init; } = [];

    /// <summary>Options from the subnet's DHCP snippets; they win over the generated ones with the same code.</summary>
    public IReadOnlyList<DhcpOption> Options { get; init; } = [];
}

/// <summary>A fixed address for a MAC (MAAS's <c>host</c> entries: a node's STICKY/AUTO address on a served subnet).</summary>
public sealed record DhcpHostReservation(string Mac, IpAddress Address, string Hostname)
{
    /// <summary>Options from the node's DHCP snippets.</summary>
    public IReadOnlyList<DhcpOption> Options { get; init; } = [];
}

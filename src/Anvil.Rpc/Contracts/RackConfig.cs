namespace Anvil.Rpc.Contracts;

/// <summary>Asks for the rack's config; <see cref="KnownVersion"/> lets the region answer "unchanged" cheaply.</summary>
public sealed record RackConfigRequest(string SystemId, string? KnownVersion);

/// <summary>
/// What a rack serves. <see cref="Version"/> is a digest of the content: equal versions mean equal
/// configs, so a rack that already has it gets <see cref="Unchanged"/> and no body.
/// </summary>
public sealed record RackConfigResponse(string Version, bool Unchanged, DhcpConfigDto? Dhcp);

public sealed record DhcpConfigDto(
    IReadOnlyList<DhcpSubnetDto> Subnets,
    IReadOnlyList<DhcpHostDto> Hosts,
    string GlobalOptions,
    int DefaultLeaseSeconds,
    int PxeLeaseSeconds);

/// <summary>One subnet to serve. Addresses are text; snippet options are the stored JSON list.</summary>
public sealed record DhcpSubnetDto(
    long SubnetId,
    string Cidr,
    string? Interface,
    string ServerAddress,
    IReadOnlyList<string[]> DynamicRanges,
    string? Gateway,
    IReadOnlyList<string> DnsServers,
    IReadOnlyList<string> NtpServers,
    string? DomainName,
    IReadOnlyList<string> DomainSearch,
    int Mtu,
    IReadOnlyList<string> DisabledBootArchitectures,
    string Options);

public sealed record DhcpHostDto(string Mac, string Address, string Hostname, string Options);

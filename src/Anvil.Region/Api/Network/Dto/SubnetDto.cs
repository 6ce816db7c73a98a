namespace Anvil.Region.Api.Network.Dto;

/// <summary>A subnet as MAAS renders it; <c>space</c> is its VLAN's space.</summary>
internal sealed record SubnetDto(
    string Name,
    string Description,
    VlanDto Vlan,
    string Cidr,
    int RdnsMode,
    string? GatewayIp,
    IReadOnlyList<string> DnsServers,
    bool AllowDns,
    bool AllowProxy,
    bool ActiveDiscovery,
    bool Managed,
    IReadOnlyList<string> DisabledBootArchitectures,
    string Space,
    long Id,
    string ResourceUri);

namespace Anvil.Region.Api.Network.Dto;

/// <summary>A VLAN as MAAS renders it, nested in fabrics, subnets and interfaces too.</summary>
internal sealed record VlanDto(
    int Vid,
    int Mtu,
    bool DhcpOn,
    string? ExternalDhcp,
    VlanDto? RelayVlan,
    string Fabric,
    long FabricId,
    string? PrimaryRack,
    string? SecondaryRack,
    string Space,
    string Name,
    long Id,
    string ResourceUri);

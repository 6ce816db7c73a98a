namespace Anvil.Region.Api.Network.Dto;

internal sealed record SpaceDto(string ResourceUri, long Id, string Name, IReadOnlyList<VlanDto> Vlans, IReadOnlyList<SubnetDto> Subnets, string Description);

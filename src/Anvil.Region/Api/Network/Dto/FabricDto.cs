namespace Anvil.Region.Api.Network.Dto;

internal sealed record FabricDto(long Id, string Name, string? ClassType, IReadOnlyList<VlanDto> Vlans, string ResourceUri);

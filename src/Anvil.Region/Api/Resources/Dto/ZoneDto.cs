using Anvil.Data.Zones;

namespace Anvil.Region.Api.Resources.Dto;

/// <summary>A zone as MAAS renders it; zones are addressed by name.</summary>
internal sealed record ZoneDto(long Id, string Name, string Description, string ResourceUri)
{
    public static ZoneDto From(NamedEntity zone) => new(zone.Id, zone.Name, zone.Description, ResourceUris.Item("zones", zone.Name));
}

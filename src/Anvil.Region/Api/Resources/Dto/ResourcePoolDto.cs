using Anvil.Data.Zones;

namespace Anvil.Region.Api.Resources.Dto;

/// <summary>A resource pool as MAAS renders it; pools are addressed by id under the singular <c>resourcepool/</c>.</summary>
internal sealed record ResourcePoolDto(long Id, string Name, string Description, string ResourceUri)
{
    public static ResourcePoolDto From(NamedEntity pool) => new(pool.Id, pool.Name, pool.Description, ResourceUris.Item("resourcepool", pool.Id));
}

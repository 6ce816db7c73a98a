namespace Anvil.Data.Zones;

/// <summary>A zone or a resource pool: both are a name and a description.</summary>
public sealed record NamedEntity(long Id, string Name, string Description);

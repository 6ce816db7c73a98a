namespace Anvil.Region.Api.Framework;

/// <summary>Every MAAS API resource Anvil serves; built once at start-up from the per-resource files.</summary>
public sealed class ApiCatalog(IReadOnlyList<ApiResource> resources)
{
    public IReadOnlyList<ApiResource> Resources { get; } = resources;
}

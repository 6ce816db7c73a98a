using Anvil.Region.Deploy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Anvil.Region.Storage;

/// <summary>Registers the storage services the rest of the region uses (the storage API is declared in RegionApi).</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<IStorageConfigSource, StorageConfigSource>();
        return services;
    }
}

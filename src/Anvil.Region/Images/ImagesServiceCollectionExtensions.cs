using Anvil.Region.Deploy;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Images;

/// <summary>Wires boot images: the store, the importer, deploy image lookup and rack manifests.</summary>
public static class ImagesServiceCollectionExtensions
{
    /// <summary>Registers boot images; a host sets <see cref="ImageStoreOptions"/> first to choose the store directory.</summary>
    public static IServiceCollection AddBootImages(this IServiceCollection services)
    {
        services.TryAddSingleton(new ImageStoreOptions(ImageStoreOptions.DefaultRoot));
        services.TryAddSingleton<ImageFileStore>();
        services.TryAddSingleton(new GpgVerifier());
        services.TryAddSingleton(sp => new SimpleStreamsImporter(
            sp.GetRequiredService<Data.Database>(),
            sp.GetRequiredService<ImageFileStore>(),
            // Image files are large: no overall timeout; connections are recycled so DNS changes are seen.
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(30) })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            sp.GetRequiredService<GpgVerifier>(),
            sp.GetRequiredService<ILogger<SimpleStreamsImporter>>()));
        services.TryAddSingleton<ImageImporter>();
        services.TryAddSingleton<IDeployImages, DeployImages>();
        services.TryAddSingleton<RackImageManifest>();
        return services;
    }

    public static IEndpointRouteBuilder MapBootImages(this IEndpointRouteBuilder endpoints) => endpoints.MapImageStore();
}

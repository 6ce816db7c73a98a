using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Anvil.Region.Api.Framework;

/// <summary>Registration of the MAAS API 2.0: <c>services.AddMaasApi(...)</c> and <c>app.MapMaasApi()</c>.</summary>
public static class MaasApiRegistration
{
    /// <summary>
    /// Adds handler declarations (call once per group of resources; declarations accumulate) and
    /// the framework services. An <see cref="IApiCredentialStore"/> must be registered as well.
    /// </summary>
    public static IServiceCollection AddMaasApi(this IServiceCollection services, Action<ApiCatalogBuilder> declare)
    {
        services.AddSingleton(new ApiDeclaration(declare));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MaasApiOptions>();
        services.TryAddSingleton(sp => BuildCatalog(sp.GetServices<ApiDeclaration>()));
        services.TryAddSingleton<ApiRouter>();
        services.TryAddSingleton<ApiDescriber>();
        services.TryAddSingleton<OAuthAuthenticator>();
        services.TryAddSingleton<ApiDispatcher>();
        return services;
    }

    /// <summary>
    /// Serves <c>/MAAS/api/**</c> through the API router. Builds the catalog now, so a bad
    /// declaration stops start-up instead of failing the first request.
    /// </summary>
    public static IEndpointConventionBuilder MapMaasApi(this IEndpointRouteBuilder endpoints)
    {
        var dispatcher = endpoints.ServiceProvider.GetRequiredService<ApiDispatcher>();
        return endpoints.Map(ApiPaths.Root + "{**path}", dispatcher.HandleAsync).WithDisplayName("MAAS API");
    }

    private static ApiCatalog BuildCatalog(IEnumerable<ApiDeclaration> declarations)
    {
        var builder = new ApiCatalogBuilder();
        VersionApi.Declare(builder);
        foreach (var declaration in declarations)
            declaration.Declare(builder);
        return builder.Build();
    }

    private sealed record ApiDeclaration(Action<ApiCatalogBuilder> Declare);
}

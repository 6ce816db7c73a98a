using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Anvil.Region.Metadata;

/// <summary>Registration of the metadata server: <c>services.AddMetadataServer()</c> and <c>app.MapMetadataServer()</c>.</summary>
public static class MetadataRegistration
{
    /// <summary>
    /// Adds the metadata server. <see cref="IEphemeralUserData"/> defaults to
    /// <see cref="ExecRunnerUserData"/> unless one is registered first; <see cref="ICommissioningResults"/>
    /// has no default (see its remarks).
    /// </summary>
    public static IServiceCollection AddMetadataServer(this IServiceCollection services)
    {
        services.TryAddSingleton<IEphemeralUserData, ExecRunnerUserData>();
        services.AddSingleton<NodeAuthenticator>();
        services.AddSingleton<ResultRecorder>();
        services.AddSingleton<SignalProcessor>();
        services.AddSingleton<ScriptsTar>();
        services.AddSingleton<UserDataHandler>();
        services.AddSingleton<MetadataHandlers>();
        services.AddSingleton<StatusWebhook>();
        services.AddSingleton<Deploy.InstallConfigHandler>();
        services.AddSingleton<MetadataDispatcher>();
        return services;
    }

    /// <summary>Serves <c>/MAAS/metadata</c> and everything below it.</summary>
    public static IEndpointConventionBuilder MapMetadataServer(this IEndpointRouteBuilder endpoints)
    {
        var dispatcher = endpoints.ServiceProvider.GetRequiredService<MetadataDispatcher>();
        endpoints.Map(MetadataDispatcher.Prefix, dispatcher.HandleAsync).WithDisplayName("MAAS metadata");
        return endpoints.Map(MetadataDispatcher.Prefix + "/{**rest}", dispatcher.HandleAsync).WithDisplayName("MAAS metadata");
    }
}

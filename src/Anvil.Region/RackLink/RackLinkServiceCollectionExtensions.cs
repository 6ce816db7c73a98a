using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Anvil.Region.RackLink;

/// <summary>Wires the region's end of the rack link.</summary>
public static class RackLinkServiceCollectionExtensions
{
    public static IServiceCollection AddRackLink(this IServiceCollection services, RackLinkOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<LinkSecretStore>();
        services.AddSingleton<RackConnections>();
        services.AddSingleton<BootConfigService>();
        services.AddSingleton<RackLinkHandler>();
        services.AddHostedService<RegionAnnouncer>();
        services.Replace(ServiceDescriptor.Singleton<Power.IPowerService, Power.RackPowerService>());
        services.TryAddSingleton(new Power.PowerPollerOptions());
        services.AddSingleton<Power.PowerPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<Power.PowerPoller>());
        return services;
    }

    public static WebApplication UseRackLink(this WebApplication app) => app.MapRackLink();
}

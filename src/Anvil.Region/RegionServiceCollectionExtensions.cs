using Anvil.Data.Config;
using Anvil.Data.Controllers;
using Anvil.Data.Machines;
using Anvil.Data.Tags;
using Anvil.Data.Users;
using Anvil.Region.Api;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using Anvil.Region.Auth;
using Anvil.Region.Images;
using Anvil.Region.Metadata;
using Anvil.Region.Monitoring;
using Anvil.Region.Power;
using Anvil.Region.Racks;
using Anvil.Region.Scripts;
using Anvil.Region.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Anvil.Region;

/// <summary>Wires the region role: stores, lifecycle services, the MAAS API and background duties.</summary>
public static class RegionServiceCollectionExtensions
{
    /// <summary>Registers the region; expects <c>AddAnvilData</c> to have registered the database.</summary>
    public static IServiceCollection AddRegion(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UserStore>();
        services.AddSingleton<MachineStore>();
        services.AddSingleton<TagStore>();
        services.AddSingleton<ConfigStore>();
        services.AddSingleton<ControllerStore>();
        services.AddSingleton<ServiceStore>();
        services.TryAddSingleton<IRackConnectionState, LastSeenRackConnectionState>();
        services.TryAddSingleton<IPowerService, ManualPowerService>();
        services.AddSingleton<MachineOperations>();
        services.AddSingleton<IApiCredentialStore, PgCredentialStore>();
        services.AddSingleton<StatusMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusMonitor>());
        services.AddSingleton<Timeline.BootTimeline>();
        services.AddHostedService(sp => sp.GetRequiredService<Timeline.BootTimeline>());
        services.AddMaasApi(RegionApi.Declare);
        services.AddCommissioning();
        services.AddMetadataServer();
        services.AddStorage();
        services.AddBootImages();
        return services;
    }

    public static WebApplication MapRegion(this WebApplication app)
    {
        app.MapMaasApi();
        app.MapAccounts();
        app.MapMetadataServer();
        app.MapBootImages();
        return app;
    }
}

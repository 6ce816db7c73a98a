using Anvil.Region.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Anvil.Region.Scripts;

public static class CommissioningServiceCollectionExtensions
{
    /// <summary>
    /// Registers commissioning result processing (<see cref="ICommissioningResults"/>) and the
    /// start-up seeding of the built-in scripts. Expects the database to be registered and migrated.
    /// </summary>
    public static IServiceCollection AddCommissioning(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommissioningResults, CommissioningResults>());
        services.TryAddSingleton<BuiltinScriptSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<BuiltinScriptSeeder>());
        return services;
    }
}

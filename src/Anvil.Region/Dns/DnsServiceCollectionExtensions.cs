using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Anvil.Region.Dns;

public static class DnsServiceCollectionExtensions
{
    /// <summary>Runs this region's named and takes part in publishing (see <see cref="DnsService"/>).</summary>
    public static IServiceCollection AddDns(this IServiceCollection services, DnsOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LocalNamed>();
        services.AddSingleton<DnsRecordPublisher>();
        services.AddSingleton<DnsService>();
        services.AddHostedService(sp => sp.GetRequiredService<DnsService>());
        return services;
    }
}

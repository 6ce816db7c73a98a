using Anvil.Data.Migrations;
using Anvil.Data.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Anvil.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers Anvil's PostgreSQL access: one pooled <see cref="NpgsqlDataSource"/> for
    /// <paramref name="connectionString"/>, the <see cref="Database"/> over it, and a
    /// <see cref="MigrationRunner"/> for the shipped migrations.
    /// </summary>
    public static IServiceCollection AddAnvilData(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        DapperConventions.Apply();

        services.AddSingleton(provider =>
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                builder.UseLoggerFactory(loggerFactory);
            }

            return builder.Build();
        });
        services.AddSingleton<Database>();
        services.AddSingleton(provider => new MigrationRunner(
            provider.GetRequiredService<NpgsqlDataSource>(),
            EmbeddedMigrations.Load(),
            provider.GetService<ILogger<MigrationRunner>>()));
        return services;
    }
}

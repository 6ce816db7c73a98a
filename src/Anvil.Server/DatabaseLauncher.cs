using Anvil.Data.Migrations;
using Anvil.Data.Postgres;
using Npgsql;

namespace Anvil.Server;

/// <summary>
/// Brings the database up for anvild: the managed private cluster in the data directory (started
/// and stopped with anvild), or the server given by <c>--database</c>; then applies migrations.
/// </summary>
internal sealed class DatabaseLauncher(AnvildOptions options, ILoggerFactory loggers)
{
    private ManagedPostgres? _managed;

    public async Task<string> StartAsync(CancellationToken ct)
    {
        string connectionString;
        if (options.Database.Length > 0)
        {
            connectionString = options.Database;
        }
        else
        {
            _managed = new ManagedPostgres(
                new ManagedPostgresOptions
                {
                    DataDirectory = options.DataDir,
                    BinDirectory = options.PostgresBin.Length > 0 ? options.PostgresBin : null,
                },
                loggers.CreateLogger<ManagedPostgres>());
            await _managed.StartAsync(ct);
            connectionString = _managed.ConnectionString;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new MigrationRunner(dataSource, EmbeddedMigrations.Load(), loggers.CreateLogger<MigrationRunner>()).MigrateAsync(null, ct);
        return connectionString;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_managed is not null)
            await _managed.StopAsync(ct);
    }
}

using System.Data;
using Anvil.Data.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Anvil.Data.Migrations;

/// <summary>
/// Brings a database's schema up to date. All pending migrations run in one transaction that
/// first takes a transaction-scoped advisory lock, so regions starting together queue behind each
/// other and each migration is applied exactly once; a failure leaves the schema as it was.
/// </summary>
public sealed class MigrationRunner
{
    /// <summary>The advisory lock every Anvil process takes to migrate ("AnvilMig" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x416E_7669_6C4D_6967;

    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version int PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger logger;

    public MigrationRunner(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, ILogger<MigrationRunner>? logger = null)
    {
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        var invalid = ordered.FirstOrDefault(m => m.Version < 1);
        if (invalid is not null)
        {
            throw new ArgumentException($"Migration {invalid} has version {invalid.Version}; versions start at 1.", nameof(migrations));
        }

        var duplicate = ordered.Zip(ordered.Skip(1)).FirstOrDefault(pair => pair.First.Version == pair.Second.Version);
        if (duplicate != default)
        {
            throw new ArgumentException($"Migrations {duplicate.First} and {duplicate.Second} share version {duplicate.First.Version}.", nameof(migrations));
        }

        this.dataSource = dataSource;
        this.logger = logger ?? NullLogger<MigrationRunner>.Instance;
        Migrations = ordered;
    }

    /// <summary>The known migrations, in version order.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>The version the schema has once every known migration is applied (0 when there are none).</summary>
    public int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>
    /// Applies every known migration not yet recorded, up to and including
    /// <paramref name="targetVersion"/> (all of them when null).
    /// </summary>
    public async Task<MigrationResult> MigrateAsync(int? targetVersion, CancellationToken cancellationToken)
    {
        var target = targetVersion ?? LatestVersion;
        if (target < 0 || target > LatestVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(targetVersion), target, $"The target version must be between 0 and {LatestVersion}, the latest known migration.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Read committed, so the reads after the lock see what the previous holder committed.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, CreateTableSql, cancellationToken);

        var applied = await AppliedVersionsAsync(connection, transaction, cancellationToken);
        var known = Migrations.Select(m => m.Version).ToHashSet();
        var unknown = applied.Where(v => !known.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            throw new MigrationException(
                $"The database has schema migration(s) {string.Join(", ", unknown)} that this Anvil does not know (it knows up to {LatestVersion}). " +
                "A newer Anvil has upgraded this database; run that version here too.");
        }

        var fromVersion = applied.Count == 0 ? 0 : applied.Max();
        var pending = Migrations.Where(m => m.Version <= target && !applied.Contains(m.Version)).ToList();
        foreach (var migration in pending)
        {
            PostgresLog.ApplyingMigration(logger, migration.Version, migration.Name);
            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            }
            catch (PostgresException e)
            {
                throw new MigrationException($"Schema migration {migration} failed, so no migration of this run was applied: {e.Message}", e);
            }

            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction)
            {
                Parameters = { new() { Value = migration.Version }, new() { Value = migration.Name } },
            };
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        var toVersion = Math.Max(fromVersion, pending.Count == 0 ? 0 : pending[^1].Version);
        PostgresLog.SchemaVersion(logger, toVersion);
        return new MigrationResult(fromVersion, toVersion, pending);
    }

    /// <summary>The highest applied migration, 0 for a database never migrated.</summary>
    public static async Task<int> GetCurrentVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var exists = dataSource.CreateCommand("SELECT to_regclass('schema_migrations') IS NOT NULL");
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }

        await using var version = dataSource.CreateCommand("SELECT coalesce(max(version), 0) FROM schema_migrations");
        return (int)(await version.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        // Migrations and the wait for the lock can take longer than a query should.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

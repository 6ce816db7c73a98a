using Microsoft.Extensions.Logging;

namespace Anvil.Data.Postgres;

/// <summary>The data layer's log events; ids 6000-6099 belong to PostgreSQL and migrations.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Creating PostgreSQL cluster in {ClusterDirectory} with {BinDirectory}")]
    public static partial void InitializingCluster(ILogger logger, string clusterDirectory, string binDirectory);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Starting PostgreSQL cluster in {ClusterDirectory}")]
    public static partial void StartingCluster(ILogger logger, string clusterDirectory);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "PostgreSQL cluster in {ClusterDirectory} is already running; using it")]
    public static partial void ReusingRunningCluster(ILogger logger, string clusterDirectory);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Stopping PostgreSQL cluster in {ClusterDirectory}")]
    public static partial void StoppingCluster(ILogger logger, string clusterDirectory);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Creating database {DatabaseName}")]
    public static partial void CreatingDatabase(ILogger logger, string databaseName);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Applying schema migration {Version} {Name}")]
    public static partial void ApplyingMigration(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Database schema is at version {Version}")]
    public static partial void SchemaVersion(ILogger logger, int version);
}

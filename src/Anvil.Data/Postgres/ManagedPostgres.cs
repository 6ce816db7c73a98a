using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Anvil.Data.Postgres;

/// <summary>
/// Anvil's default database: a private PostgreSQL cluster in Anvil's data directory, reachable
/// only through a Unix socket there. The cluster is created on first start and kept across
/// restarts; a cluster that is already running is used as it is.
/// </summary>
public sealed class ManagedPostgres
{
    /// <summary>The superuser initdb creates; trusted on the private socket.</summary>
    public const string SuperUser = "postgres";

    // sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
    private const int MaxSocketPathBytes = 107;
    private const string SocketFileName = ".s.PGSQL.5432";

    private readonly ManagedPostgresOptions options;
    private readonly ILogger logger;
    private readonly CommandRunner commands;

    public ManagedPostgres(ManagedPostgresOptions options, ILogger<ManagedPostgres>? logger = null)
    {
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            throw new ManagedPostgresException("The data directory for the managed PostgreSQL cluster is not set; configure Anvil's data directory (e.g. /var/lib/anvil).");
        }

        if (string.IsNullOrEmpty(options.DatabaseName) || options.DatabaseName.Contains('\0', StringComparison.Ordinal))
        {
            throw new ManagedPostgresException($"'{options.DatabaseName}' is not a usable database name; configure a non-empty name such as '{ManagedPostgresOptions.DefaultDatabaseName}'.");
        }

        this.options = options;
        this.logger = logger ?? NullLogger<ManagedPostgres>.Instance;
        commands = CommandRunner.ForCurrentProcess(options.SystemUser);
        DataDirectory = Path.GetFullPath(options.DataDirectory);
        ClusterDirectory = Path.Combine(DataDirectory, "postgres");
        SocketDirectory = Path.Combine(DataDirectory, "run");
        ConnectionString = BuildConnectionString(options.DatabaseName);
        AdminConnectionString = BuildConnectionString("postgres");
    }

    public string DataDirectory { get; }

    /// <summary>The cluster's own directory (PGDATA).</summary>
    public string ClusterDirectory { get; }

    /// <summary>Where the server's Unix socket lives; the Npgsql host.</summary>
    public string SocketDirectory { get; }

    /// <summary>Connection string for the application database.</summary>
    public string ConnectionString { get; }

    /// <summary>Connection string for the <c>postgres</c> maintenance database, as superuser.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Whether the last <see cref="StartAsync"/> found the cluster already running.</summary>
    public bool WasAlreadyRunning { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        CheckSocketPathLength();
        await PrepareDirectoriesAsync(cancellationToken);

        var binaries = PostgresBinaries.Locate(options.BinDirectory, options.PostgresRoot, ReadClusterMajorVersion());
        if (ReadClusterMajorVersion() is null)
        {
            await InitializeClusterAsync(binaries, cancellationToken);
        }

        await WriteSettingsAsync(cancellationToken);

        WasAlreadyRunning = await IsRunningAsync(binaries, cancellationToken);
        if (WasAlreadyRunning)
        {
            PostgresLog.ReusingRunningCluster(logger, ClusterDirectory);
        }
        else
        {
            await StartServerAsync(binaries, cancellationToken);
        }

        await EnsureDatabaseAsync(cancellationToken);
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended, nothing is lost).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var clusterVersion = ReadClusterMajorVersion();
        if (clusterVersion is null)
        {
            return;
        }

        var binaries = PostgresBinaries.Locate(options.BinDirectory, options.PostgresRoot, clusterVersion);
        if (!await IsRunningAsync(binaries, cancellationToken))
        {
            return;
        }

        PostgresLog.StoppingCluster(logger, ClusterDirectory);
        var result = await commands.RunAsClusterUserAsync(
            binaries.PgCtl,
            ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", TimeoutSeconds, "-s"],
            cancellationToken);
        if (result.ExitCode != 0 && await IsRunningAsync(binaries, cancellationToken))
        {
            throw new ManagedPostgresException($"pg_ctl could not stop the PostgreSQL cluster in {ClusterDirectory}: {result.Output}");
        }
    }

    private string TimeoutSeconds => ((int)Math.Ceiling(options.StartStopTimeout.TotalSeconds)).ToString();

    private string BuildConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = SocketDirectory,
            Username = SuperUser,
            Database = database,
        }.ConnectionString;

    private void CheckSocketPathLength()
    {
        var socketPath = Path.Combine(SocketDirectory, SocketFileName);
        if (Encoding.UTF8.GetByteCount(socketPath) > MaxSocketPathBytes)
        {
            throw new ManagedPostgresException(
                $"The data directory '{DataDirectory}' is too long: PostgreSQL's socket '{socketPath}' would exceed the " +
                $"{MaxSocketPathBytes}-byte limit of a Unix socket path. Use a shorter data directory such as /var/lib/anvil.");
        }
    }

    private int? ReadClusterMajorVersion()
    {
        var versionFile = Path.Combine(ClusterDirectory, "PG_VERSION");
        if (!File.Exists(versionFile))
        {
            return null;
        }

        var text = File.ReadAllText(versionFile).Trim();
        return int.TryParse(text, out var major)
            ? major
            : throw new ManagedPostgresException($"{versionFile} holds '{text}', not a PostgreSQL major version; the cluster in {ClusterDirectory} is damaged. Restore it from a backup or move it away to create a new one.");
    }

    private async Task PrepareDirectoriesAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The managed PostgreSQL cluster needs Linux; on other systems configure a PostgreSQL connection string.");
        }

        foreach (var directory in new[] { DataDirectory, ClusterDirectory, SocketDirectory })
        {
            if (File.Exists(directory))
            {
                throw new ManagedPostgresException($"'{directory}' is a file, but Anvil needs a directory there for its PostgreSQL cluster. Move the file away or choose another data directory.");
            }

            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ManagedPostgresException($"Could not create '{directory}' for the PostgreSQL cluster: {e.Message}. Choose a data directory Anvil can write to, such as /var/lib/anvil.", e);
            }
        }

        // PostgreSQL insists its data directory is private; the socket directory is private so
        // that trust authentication on it admits only root and the cluster user.
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        File.SetUnixFileMode(ClusterDirectory, ownerOnly);
        File.SetUnixFileMode(SocketDirectory, ownerOnly);

        if (commands.RunAsUser is { } user)
        {
            var owner = await SystemAccount.LookUpAsync(user, cancellationToken);
            await SystemAccount.ChownAsync(owner, [ClusterDirectory, SocketDirectory], cancellationToken);
            await CheckReachableAsync(user, cancellationToken);
        }
    }

    private async Task CheckReachableAsync(string user, CancellationToken cancellationToken)
    {
        var probe = await commands.RunAsClusterUserAsync(
            "test",
            ["-w", ClusterDirectory, "-a", "-x", ClusterDirectory, "-a", "-w", SocketDirectory, "-a", "-x", SocketDirectory],
            cancellationToken);
        if (probe.ExitCode == 0)
        {
            return;
        }

        var blocking = await FirstUnreachableAncestorAsync(cancellationToken);
        var where = blocking is null
            ? $"'{ClusterDirectory}' and '{SocketDirectory}'"
            : $"'{blocking}' (it must be searchable by '{user}', e.g. chmod o+x '{blocking}')";
        throw new ManagedPostgresException(
            $"The PostgreSQL server runs as the system user '{user}', which cannot reach the data directory '{DataDirectory}': " +
            $"access is blocked at {where}. Use a data directory outside private homes such as /root, e.g. /var/lib/anvil.");
    }

    private async Task<string?> FirstUnreachableAncestorAsync(CancellationToken cancellationToken)
    {
        var chain = new List<string>();
        for (var directory = DataDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            chain.Add(directory);
        }

        chain.Reverse();
        foreach (var directory in chain)
        {
            var probe = await commands.RunAsClusterUserAsync("test", ["-x", directory], cancellationToken);
            if (probe.ExitCode != 0)
            {
                return directory;
            }
        }

        return null;
    }

    private async Task InitializeClusterAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        if (Directory.EnumerateFileSystemEntries(ClusterDirectory).Any())
        {
            throw new ManagedPostgresException(
                $"'{ClusterDirectory}' is not empty but holds no PostgreSQL cluster (no PG_VERSION). " +
                "Move its contents away so Anvil can create a new cluster there, or restore the cluster from a backup.");
        }

        PostgresLog.InitializingCluster(logger, ClusterDirectory, binaries.BinDirectory);
        var result = await commands.RunAsClusterUserAsync(
            binaries.InitDb,
            [
                "--pgdata=" + ClusterDirectory,
                "--username=" + SuperUser,
                "--auth-local=trust",
                "--auth-host=reject",
                "--encoding=UTF8",
                "--locale=C",
            ],
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new ManagedPostgresException($"initdb could not create the PostgreSQL cluster in {ClusterDirectory}: {result.Output}");
        }
    }

    private async Task WriteSettingsAsync(CancellationToken cancellationToken)
    {
        var settingsFile = Path.Combine(ClusterDirectory, ClusterSettings.FileName);
        await File.WriteAllTextAsync(settingsFile, ClusterSettings.Render(options, SocketDirectory), cancellationToken);
        ClusterSettings.EnsureIncluded(ClusterDirectory);
        if (commands.RunAsUser is { } user)
        {
            await SystemAccount.ChownAsync(await SystemAccount.LookUpAsync(user, cancellationToken), [settingsFile], cancellationToken);
        }
    }

    private async Task<bool> IsRunningAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        // pg_ctl status: 0 running, 3 not running, 4 no accessible data directory.
        var result = await commands.RunAsClusterUserAsync(binaries.PgCtl, ["status", "-D", ClusterDirectory], cancellationToken);
        return result.ExitCode switch
        {
            0 => true,
            3 => false,
            _ => throw new ManagedPostgresException($"pg_ctl could not read the PostgreSQL cluster in {ClusterDirectory}: {result.Output}"),
        };
    }

    private async Task StartServerAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        PostgresLog.StartingCluster(logger, ClusterDirectory);
        var startupLog = Path.Combine(ClusterDirectory, "startup.log");
        var result = await commands.RunAsClusterUserAsync(
            binaries.PgCtl,
            ["start", "-D", ClusterDirectory, "-w", "-t", TimeoutSeconds, "-s", "-l", startupLog],
            cancellationToken);
        if (result.ExitCode == 0)
        {
            return;
        }

        // Another Anvil process sharing this data directory may have started it meanwhile.
        if (await IsRunningAsync(binaries, cancellationToken))
        {
            WasAlreadyRunning = true;
            return;
        }

        throw new ManagedPostgresException(
            $"PostgreSQL did not start from {ClusterDirectory}: {result.Output}\n" +
            $"Server log ({startupLog} and {Path.Combine(ClusterDirectory, "log")}):\n{ServerLogTail()}");
    }

    private string ServerLogTail()
    {
        var logs = new List<string>();
        var startupLog = Path.Combine(ClusterDirectory, "startup.log");
        if (File.Exists(startupLog))
        {
            logs.Add(startupLog);
        }

        var logDirectory = Path.Combine(ClusterDirectory, "log");
        if (Directory.Exists(logDirectory))
        {
            logs.AddRange(new DirectoryInfo(logDirectory).EnumerateFiles().OrderByDescending(f => f.LastWriteTimeUtc).Take(1).Select(f => f.FullName));
        }

        return string.Join('\n', logs.SelectMany(log => File.ReadLines(log).TakeLast(20)));
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection)
        {
            Parameters = { new() { Value = options.DatabaseName } },
        };
        if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        PostgresLog.CreatingDatabase(logger, options.DatabaseName);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(options.DatabaseName)}", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created by a concurrent start; that is what we wanted.
        }
    }

    private async Task<NpgsqlConnection> OpenAdminConnectionAsync(CancellationToken cancellationToken)
    {
        // A cluster found running may still be starting up (another process just ran pg_ctl start).
        var deadline = DateTime.UtcNow + options.StartStopTimeout;
        while (true)
        {
            // Unpooled: a pool would keep connections to a server this object stopped earlier.
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                return connection;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow && DateTime.UtcNow < deadline)
            {
                await connection.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or PostgresException)
            {
                await connection.DisposeAsync();
                throw new ManagedPostgresException($"The PostgreSQL cluster in {ClusterDirectory} is running but does not accept connections on {SocketDirectory}: {e.Message}", e);
            }
        }
    }

    internal static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}

using System.Diagnostics;
using Anvil.Data.Migrations;
using Anvil.Data.Postgres;
using Npgsql;

namespace Anvil.Testing.Postgres;

/// <summary>The server behind <see cref="TestPostgres"/> and the template its databases are copied from.</summary>
internal sealed class TestPostgresServer
{
    private const string PrivateClusterPrefix = "anvil-test-pg-";
    private const string OwnerFileName = "owner.pid";

    private readonly string templateName = "anvil_template_" + UniqueSuffix();

    private TestPostgresServer(string adminConnectionString, bool sharedServer)
    {
        AdminConnectionString = adminConnectionString;
        if (sharedServer)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DropTemplateAtExit();
        }
    }

    public string AdminConnectionString { get; }

    public static async Task<TestPostgresServer> StartPrivateClusterAsync()
    {
        await RemoveClustersOfDeadProcessesAsync();
        var root = Path.Combine(Path.GetTempPath(), PrivateClusterPrefix + UniqueSuffix()[..12]);
        Directory.CreateDirectory(root);
        // Lets a later run clean up after this process if it dies without its exit handler.
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFileName), Environment.ProcessId.ToString());

        var cluster = new ManagedPostgres(TestClusterOptions(root));
        try
        {
            await StartWatchdogAsync(root);
            await cluster.StartAsync(CancellationToken.None);
        }
        catch
        {
            TryDelete(root);
            throw;
        }

        return new TestPostgresServer(cluster.AdminConnectionString, sharedServer: false);
    }

    public static async Task<TestPostgresServer> UseExistingAsync(string adminConnectionString)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        return new TestPostgresServer(adminConnectionString, sharedServer: true);
    }

    public async Task BuildTemplateAsync(IReadOnlyList<Migration> migrations)
    {
        await ExecuteAdminAsync($"CREATE DATABASE {Quote(templateName)}");
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = templateName, Pooling = false };
        await using (var dataSource = NpgsqlDataSource.Create(builder.ConnectionString))
        {
            await new MigrationRunner(dataSource, migrations).MigrateAsync(null, CancellationToken.None);
        }

        // No connections (not even autovacuum's) may be open to a template while it is copied.
        await ExecuteAdminAsync($"ALTER DATABASE {Quote(templateName)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }

    public Task<TestDatabase> CreateFromTemplateAsync() => CreateAsync($"TEMPLATE {Quote(templateName)}");

    public Task<TestDatabase> CreateEmptyAsync() => CreateAsync("TEMPLATE template0");

    public async Task DropDatabaseAsync(string name) =>
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)");

    private async Task<TestDatabase> CreateAsync(string createOptions)
    {
        var name = "anvil_test_" + UniqueSuffix();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAdminAsync($"CREATE DATABASE {Quote(name)} {createOptions}");
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // The source database was briefly in use (e.g. by a concurrent copy); try again.
                await Task.Delay(50 * attempt);
            }
        }

        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
        return new TestDatabase(this, name, connectionString);
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Leaves nothing behind on a shared server (best effort: the test host may be killed first).</summary>
    private void DropTemplateAtExit()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            ExecuteAdminAsync($"ALTER DATABASE {Quote(templateName)} WITH IS_TEMPLATE false").GetAwaiter().GetResult();
            DropDatabaseAsync(templateName).GetAwaiter().GetResult();
        }
        catch (NpgsqlException)
        {
            // The server may already be gone.
        }
    }

    /// <summary>
    /// The test host is killed soon after the run ends, before an exit handler could stop a
    /// cluster, so a detached watcher stops it (fast shutdown: SIGINT to the postmaster) and
    /// deletes its directory once this process is gone, however it ends.
    /// </summary>
    private static async Task StartWatchdogAsync(string root)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            owner=$1; root=$2; pidfile=$root/postgres/postmaster.pid
            while kill -0 "$owner"; do sleep 1; done
            if [ -f "$pidfile" ]; then
                kill -INT "$(head -n 1 "$pidfile")"
                tries=0
                while [ -f "$pidfile" ] && [ $tries -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
            fi
            rm -rf "$root"
            """;
        var startInfo = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--fork", "sh", "-c", script, "anvil-test-pg-watchdog", Environment.ProcessId.ToString(), root })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var setsid = Process.Start(startInfo)!;
        await setsid.WaitForExitAsync();
        if (setsid.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not start the watcher that removes the test cluster: {await setsid.StandardError.ReadToEndAsync()}");
        }
    }

    private static ManagedPostgresOptions TestClusterOptions(string root) => new()
    {
        DataDirectory = root,
        DatabaseName = "postgres",
        MaxConnections = 500,
        // Throwaway data: durability only costs time here.
        ExtraSettings = new Dictionary<string, string>
        {
            ["fsync"] = "off",
            ["synchronous_commit"] = "off",
            ["full_page_writes"] = "off",
        },
    };

    /// <summary>Stops and deletes clusters left by test processes that died before their exit handler ran.</summary>
    private static async Task RemoveClustersOfDeadProcessesAsync()
    {
        foreach (var root in Directory.EnumerateDirectories(Path.GetTempPath(), PrivateClusterPrefix + "*"))
        {
            var ownerFile = Path.Combine(root, OwnerFileName);
            if (!File.Exists(ownerFile)
                || !int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner)
                || Directory.Exists($"/proc/{owner}"))
            {
                continue;
            }

            try
            {
                await new ManagedPostgres(TestClusterOptions(root)).StopAsync(CancellationToken.None);
            }
            catch (ManagedPostgresException)
            {
                // Deleting the directory is still worth trying.
            }

            TryDelete(root);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary directory is not worth failing the run for.
        }
    }

    private static string UniqueSuffix() => Guid.NewGuid().ToString("N");

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}

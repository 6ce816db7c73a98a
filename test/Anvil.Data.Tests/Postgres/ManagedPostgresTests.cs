using System.Runtime.Versioning;
using Anvil.Data.Postgres;
using Npgsql;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Postgres;

[UnsupportedOSPlatform("windows")]
public sealed class ManagedPostgresTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task StartAsync_on_an_empty_data_directory_creates_a_socket_only_cluster_with_the_application_database()
    {
        await using var scratch = new ScratchDirectory();
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path });

        await postgres.StartAsync(Ct);

        postgres.WasAlreadyRunning.ShouldBeFalse();
        File.Exists(Path.Combine(scratch.Path, "postgres", "PG_VERSION")).ShouldBeTrue();
        File.GetUnixFileMode(postgres.SocketDirectory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        new NpgsqlConnectionStringBuilder(postgres.ConnectionString).Host.ShouldBe(Path.Combine(scratch.Path, "run"));
        (await QueryAsync(postgres.ConnectionString, "SELECT current_database()")).ShouldBe("anvil");
        (await QueryAsync(postgres.ConnectionString, "SELECT current_user")).ShouldBe("postgres");
        (await QueryAsync(postgres.ConnectionString, "SHOW listen_addresses")).ShouldBe("");
        (await QueryAsync(postgres.ConnectionString, "SHOW max_connections")).ShouldBe("200");
        (await QueryAsync(postgres.ConnectionString, "SHOW shared_buffers")).ShouldBe("128MB");
        (await QueryAsync(postgres.ConnectionString, "SHOW fsync")).ShouldBe("on");
    }

    [Fact]
    public async Task StartAsync_runs_the_server_as_the_postgres_system_user_when_started_as_root()
    {
        await using var scratch = new ScratchDirectory();
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path });

        await postgres.StartAsync(Ct);

        var pidLine = File.ReadLines(Path.Combine(postgres.ClusterDirectory, "postmaster.pid")).First();
        var status = await File.ReadAllLinesAsync($"/proc/{pidLine.Trim()}/status");
        var realUid = status.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        realUid.ShouldBe(await SystemAccountUidAsync("postgres"));
    }

    [Fact]
    public async Task StartAsync_creates_the_configured_database_name()
    {
        await using var scratch = new ScratchDirectory();
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path, DatabaseName = "maas-like db" });

        await postgres.StartAsync(Ct);

        (await QueryAsync(postgres.ConnectionString, "SELECT current_database()")).ShouldBe("maas-like db");
    }

    [Fact]
    public async Task A_stopped_cluster_starts_again_with_its_data_kept()
    {
        await using var scratch = new ScratchDirectory();
        var first = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path });
        await first.StartAsync(Ct);
        await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");

        await first.StopAsync(Ct);
        await Should.ThrowAsync<NpgsqlException>(() => QueryAsync(first.ConnectionString, "SELECT 1"));

        var second = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path });
        await second.StartAsync(Ct);

        second.WasAlreadyRunning.ShouldBeFalse();
        (await QueryAsync(second.ConnectionString, "SELECT value FROM kept")).ShouldBe("still here");
    }

    [Fact]
    public async Task StartAsync_reuses_a_cluster_that_is_already_running()
    {
        await using var scratch = new ScratchDirectory();
        var first = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path });
        await first.StartAsync(Ct);
        var startedAt = await QueryAsync(first.ConnectionString, "SELECT pg_postmaster_start_time()::text");

        var second = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path });
        await second.StartAsync(Ct);

        second.WasAlreadyRunning.ShouldBeTrue();
        (await QueryAsync(second.ConnectionString, "SELECT pg_postmaster_start_time()::text")).ShouldBe(startedAt);
    }

    [Fact]
    public async Task StopAsync_on_a_stopped_cluster_does_nothing()
    {
        await using var scratch = new ScratchDirectory();
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path });
        await postgres.StartAsync(Ct);
        await postgres.StopAsync(Ct);

        await postgres.StopAsync(Ct);

        File.Exists(Path.Combine(postgres.ClusterDirectory, "postmaster.pid")).ShouldBeFalse();
    }

    [Fact]
    public async Task StartAsync_explains_a_data_directory_the_postgres_user_cannot_reach()
    {
        await using var scratch = new ScratchDirectory();
        var locked = scratch.Combine("private");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = Path.Combine(locked, "anvil") });

        var error = await Should.ThrowAsync<ManagedPostgresException>(() => postgres.StartAsync(Ct));

        error.Message.ShouldContain($"blocked at '{locked}'");
        error.Message.ShouldContain("'postgres'");
        error.Message.ShouldContain("/var/lib/anvil");
    }

    [Fact]
    public async Task StartAsync_explains_a_data_directory_that_is_a_file()
    {
        await using var scratch = new ScratchDirectory();
        var file = scratch.Combine("not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = file });

        var error = await Should.ThrowAsync<ManagedPostgresException>(() => postgres.StartAsync(Ct));

        error.Message.ShouldContain($"'{file}' is a file");
    }

    [Fact]
    public async Task StartAsync_refuses_a_cluster_directory_holding_something_else()
    {
        await using var scratch = new ScratchDirectory();
        Directory.CreateDirectory(scratch.Combine("postgres"));
        await File.WriteAllTextAsync(scratch.Combine("postgres", "stray.txt"), "x");
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path });

        var error = await Should.ThrowAsync<ManagedPostgresException>(() => postgres.StartAsync(Ct));

        error.Message.ShouldContain("not empty but holds no PostgreSQL cluster");
    }

    [Fact]
    public async Task StartAsync_explains_a_data_directory_too_long_for_a_unix_socket()
    {
        await using var scratch = new ScratchDirectory();
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Combine(new string('d', 100)) });

        var error = await Should.ThrowAsync<ManagedPostgresException>(() => postgres.StartAsync(Ct));

        error.Message.ShouldContain("Unix socket path");
    }

    [Fact]
    public async Task StartAsync_says_how_to_install_postgresql_when_no_binaries_are_found()
    {
        await using var scratch = new ScratchDirectory();
        var postgres = new ManagedPostgres(new ManagedPostgresOptions
        {
            DataDirectory = scratch.Path,
            PostgresRoot = scratch.Combine("no-postgresql-here"),
        });

        var error = await Should.ThrowAsync<ManagedPostgresException>(() => postgres.StartAsync(Ct));

        error.Message.ShouldContain($"PostgreSQL binaries not found under {scratch.Combine("no-postgresql-here")}");
        error.Message.ShouldContain("apt-get install postgresql");
    }

    [Fact]
    public async Task StartAsync_names_what_is_missing_from_a_configured_binary_directory()
    {
        await using var scratch = new ScratchDirectory();
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path, BinDirectory = scratch.Path });

        var error = await Should.ThrowAsync<ManagedPostgresException>(() => postgres.StartAsync(Ct));

        error.Message.ShouldContain("lacks initdb, pg_ctl, postgres");
    }

    [Fact]
    public async Task StartAsync_uses_the_configured_binary_directory()
    {
        await using var scratch = new ScratchDirectory();
        var bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).First(Directory.Exists);
        var postgres = new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = scratch.Path, BinDirectory = bin });

        await postgres.StartAsync(Ct);

        var serverMajor = (await QueryAsync(postgres.ConnectionString, "SHOW server_version")).Split('.')[0];
        serverMajor.ShouldBe(Path.GetFileName(Path.GetDirectoryName(bin)));
    }

    private static async Task<string> SystemAccountUidAsync(string user)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("id", ["-u", user]) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }

    private static async Task<string> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}

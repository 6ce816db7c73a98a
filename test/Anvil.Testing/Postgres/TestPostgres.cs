using Anvil.Data.Migrations;
using Anvil.Data.Postgres;

namespace Anvil.Testing.Postgres;

/// <summary>
/// The real PostgreSQL every test in the process shares: a private cluster started once in a
/// temporary directory, or the server named by <c>ANVIL_TEST_DATABASE</c> (an admin connection
/// string). Each test class takes its own database from it. When PostgreSQL cannot be started the
/// tests fail with the reason; they are never skipped.
/// </summary>
public static class TestPostgres
{
    public const string ServerVariable = "ANVIL_TEST_DATABASE";

    private static readonly Lazy<Task<TestPostgresServer>> Server = new(StartAsync);

    /// <summary>A fresh database with every shipped migration applied, copied from a template.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync() =>
        await (await Server.Value).CreateFromTemplateAsync();

    /// <summary>A fresh database without any schema, e.g. to test migrations.</summary>
    public static async Task<TestDatabase> CreateEmptyDatabaseAsync() =>
        await (await Server.Value).CreateEmptyAsync();

    /// <summary>A fresh database with <paramref name="migrations"/> applied up to <paramref name="targetVersion"/> (all when null).</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(IReadOnlyList<Migration> migrations, int? targetVersion = null)
    {
        var database = await CreateEmptyDatabaseAsync();
        await new MigrationRunner(database.DataSource, migrations).MigrateAsync(targetVersion, CancellationToken.None);
        return database;
    }

    /// <summary>A superuser connection string to the <c>postgres</c> database of the shared server.</summary>
    public static async Task<string> GetAdminConnectionStringAsync() => (await Server.Value).AdminConnectionString;

    private static async Task<TestPostgresServer> StartAsync()
    {
        DapperConventions.Apply();
        var configured = Environment.GetEnvironmentVariable(ServerVariable);
        TestPostgresServer server;
        try
        {
            server = string.IsNullOrWhiteSpace(configured)
                ? await TestPostgresServer.StartPrivateClusterAsync()
                : await TestPostgresServer.UseExistingAsync(configured);
        }
        catch (Exception e)
        {
            var advice = string.IsNullOrWhiteSpace(configured)
                ? $"a private cluster could not be started: {e.Message} Install Debian's postgresql package (apt-get install postgresql), " +
                  $"or set {ServerVariable} to an admin connection string of an existing server (e.g. Host=/var/run/postgresql;Username=postgres)."
                : $"the server in {ServerVariable} could not be used: {e.Message} Fix the connection string (its role must be allowed " +
                  $"to create databases), or unset {ServerVariable} to let the tests start a private cluster.";
            throw new InvalidOperationException("Tests need a real PostgreSQL, but " + advice, e);
        }

        // A broken shipped migration fails every database test with this message, not a startup error.
        await server.BuildTemplateAsync(EmbeddedMigrations.Load());
        return server;
    }
}

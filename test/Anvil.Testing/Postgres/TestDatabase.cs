using Anvil.Data;
using Npgsql;

namespace Anvil.Testing.Postgres;

/// <summary>A database of its own for one test class, dropped when disposed.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly TestPostgresServer server;

    internal TestDatabase(TestPostgresServer server, string name, string connectionString)
    {
        this.server = server;
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Database = new Database(DataSource);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public Database Database { get; }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await server.DropDatabaseAsync(Name);
    }
}

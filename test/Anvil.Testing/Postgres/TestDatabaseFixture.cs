using Xunit;

namespace Anvil.Testing.Postgres;

/// <summary>
/// <c>IClassFixture&lt;TestDatabaseFixture&gt;</c> gives a test class a fresh database with the
/// full Anvil schema, shared by its tests and dropped after them.
/// </summary>
public sealed class TestDatabaseFixture : IAsyncLifetime
{
    private TestDatabase? database;

    public TestDatabase Database => database ?? throw new InvalidOperationException("The test database is created in InitializeAsync.");

    public async Task InitializeAsync() => database = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}

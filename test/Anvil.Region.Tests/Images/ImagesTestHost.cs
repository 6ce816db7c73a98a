using Anvil.Data;
using Anvil.Data.Users;
using Anvil.Region.Images;
using Anvil.Region.Tests.Support;
using Anvil.Testing.Postgres;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Anvil.Region.Tests.Images;

/// <summary>
/// The region wired as anvild wires it (like <see cref="RegionTestHost"/>) over its own PostgreSQL
/// database, with the image store in a temp directory of its own; one per test class.
/// </summary>
public sealed class ImagesTestHost : IAsyncLifetime
{
    private TestDatabase? database;
    private WebApplication? app;

    public string StoreRoot { get; } = Path.Combine(Path.GetTempPath(), $"anvil-images-test-{Guid.NewGuid():N}");

    public Database Database => Services.GetRequiredService<Database>();

    public ImageFileStore Store => Services.GetRequiredService<ImageFileStore>();

    public IServiceProvider Services => App.Services;

    private WebApplication App => app ?? throw new InvalidOperationException("The host starts in InitializeAsync.");

    public async Task InitializeAsync()
    {
        database = await TestPostgres.CreateDatabaseAsync();
        app = await RegionTestApp.StartAsync(database.ConnectionString, services => services.AddSingleton(new ImageStoreOptions(StoreRoot)));
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
            await app.DisposeAsync();
        if (database is not null)
            await database.DisposeAsync();
        if (Directory.Exists(StoreRoot))
            Directory.Delete(StoreRoot, recursive: true);
    }

    /// <summary>An HTTP client to the region's own endpoints (not signed), e.g. <c>/MAAS/images-store/</c>.</summary>
    public HttpClient RawClient(DelegatingHandler? wrapper = null)
    {
        HttpMessageHandler handler = App.GetTestServer().CreateHandler();
        if (wrapper is not null)
        {
            wrapper.InnerHandler = handler;
            handler = wrapper;
        }

        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
    }

    public async Task<ApiClient> CreateUserAsync(bool admin)
    {
        var username = $"{(admin ? "admin" : "user")}-{Guid.NewGuid():N}"[..16];
        var token = await Database.InTransactionAsync(
            async (c, tx) =>
            {
                var user = await UserStore.CreateAsync(c, tx, username, $"{username}@example.com", "secret-password", admin, CancellationToken.None)
                    ?? throw new InvalidOperationException($"User {username} exists.");
                return await UserStore.CreateTokenAsync(c, tx, user.Id, null, CancellationToken.None);
            },
            CancellationToken.None);
        var signer = new OAuthPlaintextHandler(token.ConsumerKey, token.TokenKey, token.TokenSecret, TimeProvider.System) { InnerHandler = App.GetTestServer().CreateHandler() };
        return new ApiClient(new HttpClient(signer) { BaseAddress = new Uri("http://localhost/MAAS/api/2.0/") });
    }

    /// <summary>A signed raw HTTP client for requests ApiClient does not make (PUT of raw bytes).</summary>
    public async Task<HttpClient> CreateAdminHttpAsync()
    {
        var username = $"admin-{Guid.NewGuid():N}"[..16];
        var token = await Database.InTransactionAsync(
            async (c, tx) =>
            {
                var user = await UserStore.CreateAsync(c, tx, username, $"{username}@example.com", "secret-password", true, CancellationToken.None)
                    ?? throw new InvalidOperationException($"User {username} exists.");
                return await UserStore.CreateTokenAsync(c, tx, user.Id, null, CancellationToken.None);
            },
            CancellationToken.None);
        var signer = new OAuthPlaintextHandler(token.ConsumerKey, token.TokenKey, token.TokenSecret, TimeProvider.System) { InnerHandler = App.GetTestServer().CreateHandler() };
        return new HttpClient(signer) { BaseAddress = new Uri("http://localhost/") };
    }

    /// <summary>A rack controller node row; returns its id and system_id.</summary>
    public async Task<(long Id, string SystemId)> CreateRackAsync()
    {
        var systemId = Guid.NewGuid().ToString("N")[..6];
        var id = await Database.InTransactionAsync(
            (c, tx) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO node (system_id, hostname, node_type, domain_id, zone_id)
                VALUES (@systemId, @hostname, 2, 0, (SELECT id FROM zone WHERE name = 'default'))
                RETURNING id
                """,
                new { systemId, hostname = "rack-" + systemId },
                tx)),
            CancellationToken.None);
        return (id, systemId);
    }
}

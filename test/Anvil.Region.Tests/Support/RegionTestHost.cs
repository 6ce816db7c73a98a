using Anvil.Data;
using Anvil.Data.Users;
using Anvil.Region.Monitoring;
using Anvil.Testing;
using Anvil.Testing.Postgres;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Anvil.Region.Tests.Support;

/// <summary>
/// The whole region wired as anvild wires it (<c>AddAnvilData</c>, <c>AddRegion</c>, <c>MapRegion</c>)
/// on a test server, over a real PostgreSQL database of its own; one per test class. Two things
/// differ, so tests control time: the clock is a <see cref="ManualTimeProvider"/>, and background
/// duties do not run on their own (a test runs the status monitor with <see cref="RunStatusMonitorAsync"/>).
/// A derived host may replace more services in <see cref="ConfigureServices"/>.
/// </summary>
public class RegionTestHost : IAsyncLifetime
{
    private TestDatabase? _database;
    private WebApplication? _app;
    private readonly string _storeRoot = Path.Combine(Path.GetTempPath(), $"anvil-region-test-images-{Guid.NewGuid():N}");

    public ManualTimeProvider Clock { get; } = new();

    public Database Database => Services.GetRequiredService<Database>();

    public IServiceProvider Services => App.Services;

    private WebApplication App => _app ?? throw new InvalidOperationException("The host starts in InitializeAsync.");

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _app = await RegionTestApp.StartAsync(_database.ConnectionString, services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // Uploaded images land in the test's own directory, never in /var/lib/anvil.
            services.AddSingleton(new Anvil.Region.Images.ImageStoreOptions(_storeRoot));
            ConfigureServices(services);
        });
    }

    /// <summary>Services registered before the region's own, so they win over its defaults.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
        if (Directory.Exists(_storeRoot))
            Directory.Delete(_storeRoot, recursive: true);
    }

    /// <summary>One pass of the status monitor at the clock's current time; returns how many machines it failed.</summary>
    public Task<int> RunStatusMonitorAsync() => Services.GetRequiredService<StatusMonitor>().RunOnceAsync(CancellationToken.None);

    /// <summary>A new user with a unique name and an API token, and a client that signs as them.</summary>
    public async Task<TestUser> CreateUserAsync(bool admin = false, string? username = null)
    {
        username ??= Unique(admin ? "admin" : "user");
        var (user, token) = await Database.InTransactionAsync(
            async (c, tx) =>
            {
                var created = await UserStore.CreateAsync(c, tx, username, $"{username}@example.com", "secret-password", admin, CancellationToken.None)
                    ?? throw new InvalidOperationException($"User {username} exists.");
                return (created, await UserStore.CreateTokenAsync(c, tx, created.Id, null, CancellationToken.None));
            },
            CancellationToken.None);
        return new TestUser(user, token, ClientFor(token));
    }

    public ApiClient ClientFor(NewApiToken token) => ClientFor(token.ConsumerKey, token.TokenKey, token.TokenSecret);

    public ApiClient ClientFor(string consumerKey, string tokenKey, string tokenSecret)
    {
        var signer = new OAuthPlaintextHandler(consumerKey, tokenKey, tokenSecret, Clock) { InnerHandler = App.GetTestServer().CreateHandler() };
        return new ApiClient(new HttpClient(signer) { BaseAddress = new Uri("http://localhost/MAAS/api/2.0/") });
    }

    public HttpClient AnonymousClient() =>
        new(App.GetTestServer().CreateHandler()) { BaseAddress = new Uri("http://localhost/MAAS/api/2.0/") };

    /// <summary>A node row of the given type, optionally owned and with lshw details for tag evaluation.</summary>
    public async Task<TestNode> CreateNodeAsync(long? ownerId = null, string? lshw = null, int nodeType = 0, string? zone = null, string? pool = null)
    {
        var systemId = Unique("n")[..8];
        var hostname = Unique("host");
        var id = await Database.InTransactionAsync(
            async (c, tx) =>
            {
                var nodeId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO node (system_id, hostname, node_type, owner_id, domain_id, zone_id, pool_id)
                    VALUES (@systemId, @hostname, @nodeType, @ownerId, 0,
                            (SELECT id FROM zone WHERE name = coalesce(@zone, 'default')),
                            CASE WHEN @nodeType = 0 THEN (SELECT id FROM resource_pool WHERE name = coalesce(@pool, 'default')) END)
                    RETURNING id
                    """,
                    new { systemId, hostname, nodeType, ownerId, zone, pool },
                    tx));
                if (lshw is not null)
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO node_probed_details (node_id, lshw) VALUES (@nodeId, @lshw)", new { nodeId, lshw }, tx));
                }

                return nodeId;
            },
            CancellationToken.None);
        return new TestNode(id, systemId, hostname);
    }

    /// <summary>The AUDIT events a user caused, oldest first, as (type, description).</summary>
    public async Task<IReadOnlyList<(string Type, string Description)>> AuditEventsByAsync(string username) =>
        (await Database.ReadAsync(
            c => c.QueryAsync<(string, string)>(new CommandDefinition(
                "SELECT type, description FROM event WHERE level = 0 AND username = @username ORDER BY id", new { username })),
            CancellationToken.None)).AsList();

    /// <summary>A name no other test uses: the prefix, a dash and 12 hex digits.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}

public sealed record TestUser(UserRecord User, NewApiToken Token, ApiClient Client)
{
    public long Id => User.Id;

    public string Username => User.Username;
}

public sealed record TestNode(long Id, string SystemId, string Hostname);

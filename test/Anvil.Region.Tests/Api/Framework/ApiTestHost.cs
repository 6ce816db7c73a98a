using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Api.Framework;

/// <summary>The API framework on an in-memory TestServer, with its own store, clock and users.</summary>
internal sealed class ApiTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiTestHost(WebApplication app, InMemoryCredentialStoreForTests store, TestClock clock, CapturedLogs logs)
    {
        _app = app;
        Store = store;
        Clock = clock;
        Logs = logs;
        Client = app.GetTestClient();
    }

    public InMemoryCredentialStoreForTests Store { get; }

    public TestClock Clock { get; }

    public CapturedLogs Logs { get; }

    public HttpClient Client { get; }

    public static async Task<ApiTestHost> StartAsync(Action<ApiCatalogBuilder>? declare = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        var store = new InMemoryCredentialStoreForTests();
        var clock = new TestClock(new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IApiCredentialStore>(store);
        builder.Services.AddMaasApi(declare ?? TestCatalog.Declare);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapMaasApi();
        await app.StartAsync();
        return new ApiTestHost(app, store, clock, logs);
    }

    public TestApiKey AddUser(string username = "alice", bool superuser = false, bool active = true) =>
        Store.AddKey(new ApiUser(Random.Shared.NextInt64(1, long.MaxValue), username, $"{username}@example.com", superuser), active);

    /// <summary>A request signed in the Authorization header, as every MAAS client signs by default.</summary>
    public HttpRequestMessage Signed(HttpMethod method, string url, TestApiKey key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        OAuthTestSigner.Sign(request, key, Clock.UnixSeconds);
        return request;
    }

    public async Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, string url, TestApiKey key, HttpContent? content = null)
    {
        using var request = Signed(method, url, key, content);
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}

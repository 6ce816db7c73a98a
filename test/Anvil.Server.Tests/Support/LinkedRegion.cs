using Anvil.Data;
using Anvil.Region;
using Anvil.Region.RackLink;
using Anvil.Rpc;
using Anvil.Testing;
using Anvil.Testing.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Anvil.Server.Support;

/// <summary>
/// A region wired as anvild wires it (data, API, rack link) on a real Kestrel socket on loopback,
/// over a database a test may share between several regions. It can be stopped and started again
/// on the same port, to take the region away from a rack and give it back.
/// </summary>
public sealed class LinkedRegion : IAsyncDisposable
{
    private readonly string connectionString;
    private readonly Action<ILoggingBuilder>? logging;
    private WebApplication? app;

    private LinkedRegion(string connectionString, int port, Action<ILoggingBuilder>? logging)
    {
        this.connectionString = connectionString;
        this.logging = logging;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/MAAS";

    public IServiceProvider Services => (app ?? throw new InvalidOperationException("The region is stopped.")).Services;

    public Database Database => Services.GetRequiredService<Database>();

    public RackConnections Racks => Services.GetRequiredService<RackConnections>();

    /// <param name="database">The database the region uses (several regions may share one).</param>
    /// <param name="logging">Adds loggers (e.g. a capture) to the region's otherwise silent logging.</param>
    public static async Task<LinkedRegion> StartAsync(TestDatabase database, Action<ILoggingBuilder>? logging = null)
    {
        var region = new LinkedRegion(database.ConnectionString, LocalPorts.FreeTcp(), logging);
        await region.StartAsync();
        return region;
    }

    public async Task<SharedSecret> SecretAsync() => await Services.GetRequiredService<LinkSecretStore>().GetOrCreateAsync(CancellationToken.None);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("ANVIL_TEST_LOG") == "1")
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        logging?.Invoke(builder.Logging);
        builder.Services.AddAnvilData(connectionString);
        builder.Services.AddRegion();
        builder.Services.AddRackLink(new RackLinkOptions(Url));
        app = builder.Build();
        app.UseRackLink();
        app.MapRegion();
        await app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (app is null)
            return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

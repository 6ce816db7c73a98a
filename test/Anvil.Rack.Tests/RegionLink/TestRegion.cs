using System.Net;
using System.Net.Sockets;
using Anvil.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Anvil.Rack.Tests.RegionLink;

/// <summary>
/// The region's end of the link and nothing else: Kestrel on a loopback port accepting rack links
/// with the real handshake, answering calls with the handler the test gives. It counts the links
/// open now, and can stop and start again on the same port.
/// </summary>
internal sealed class TestRegion : IAsyncDisposable
{
    private readonly SharedSecret secret;
    private readonly LinkCallHandler handler;
    private WebApplication? app;
    private int open;

    private TestRegion(int port, SharedSecret secret, LinkCallHandler handler)
    {
        Port = port;
        this.secret = secret;
        this.handler = handler;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/MAAS";

    public int OpenLinks => Volatile.Read(ref open);

    public static async Task<TestRegion> StartAsync(SharedSecret secret, LinkCallHandler handler)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var region = new TestRegion(port, secret, handler);
        await region.StartAsync();
        return region;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.UseWebSockets();
        app.Map("/MAAS/rpc/link", AcceptAsync);
        await app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (app is null)
            return;
        await app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        await app.DisposeAsync();
        app = null;
    }

    private async Task AcceptAsync(HttpContext http)
    {
        var socket = await http.WebSockets.AcceptWebSocketAsync();
        LinkConnection link;
        try
        {
            link = await LinkHandshake.AcceptAsync(socket, secret, "rack", handler, NullLogger.Instance, http.RequestAborted);
        }
        catch (LinkException)
        {
            return;
        }

        Interlocked.Increment(ref open);
        try
        {
            await using (link)
                await Task.WhenAny(link.Completion, Task.Delay(Timeout.Infinite, http.RequestAborted));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref open);
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

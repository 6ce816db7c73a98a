using System.Net;
using Anvil.Rack.Metrics;
using Anvil.Rack.Tftp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Anvil.Rack.Tests.Tftp.Support;

/// <summary>A started TFTP server on a free loopback port, with its own files and counters.</summary>
internal sealed class TftpServerHost : IAsyncDisposable
{
    private TftpServerHost(TftpServer server, InMemoryBootFileProvider files, RackMetrics metrics)
    {
        Server = server;
        Files = files;
        Metrics = metrics;
    }

    public TftpServer Server { get; }

    public InMemoryBootFileProvider Files { get; }

    public RackMetrics Metrics { get; }

    public IPEndPoint Endpoint => Server.LocalEndPoint!;

    public int Port => Endpoint.Port;

    public static async Task<TftpServerHost> StartAsync(Func<TftpServerOptions, TftpServerOptions>? configure = null)
    {
        var files = new InMemoryBootFileProvider();
        var metrics = new RackMetrics();
        var options = new TftpServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) };
        var server = new TftpServer(files, metrics, NullLogger<TftpServer>.Instance, configure?.Invoke(options) ?? options);
        await server.StartAsync(CancellationToken.None);
        return new TftpServerHost(server, files, metrics);
    }

    public long Value(string name, params (string Key, string Value)[] labels) => Metrics.Value(name, labels);

    /// <summary>Waits until a counter reaches a value (counters move after the packet that moves them is answered).</summary>
    public async Task WaitForAsync(string name, long atLeast, params (string Key, string Value)[] labels)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Metrics.Value(name, labels) < atLeast)
        {
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"{name} stayed at {Metrics.Value(name, labels)}, expected {atLeast}.");
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

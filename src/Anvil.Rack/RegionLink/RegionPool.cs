using System.Net.WebSockets;
using Anvil.Rpc;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.RegionLink;

/// <summary>
/// The links to one region: at least <see cref="RegionLinkOptions.MinConnections"/> kept open,
/// more opened while every link is busy (up to <see cref="RegionLinkOptions.MaxConnections"/>),
/// extra ones closed again once idle; a lost link is reopened with back-off.
/// </summary>
internal sealed class RegionPool : IAsyncDisposable
{
    private readonly Uri linkUri;
    private readonly SharedSecret secret;
    private readonly LinkCallHandler handler;
    private readonly RegionLinkOptions options;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly List<LinkConnection> links = [];
    private readonly SemaphoreSlim wake = new(0);
    private readonly CancellationTokenSource stop = new();
    private readonly Backoff backoff;
    private Task? maintaining;

    public RegionPool(string regionUrl, SharedSecret secret, LinkCallHandler handler, RegionLinkOptions options, ILogger logger)
    {
        RegionUrl = regionUrl.TrimEnd('/');
        linkUri = LinkUriFor(RegionUrl);
        this.secret = secret;
        this.handler = handler;
        this.options = options;
        this.logger = logger;
        backoff = new Backoff(options.BackoffMin, options.BackoffMax);
    }

    public string RegionUrl { get; }

    /// <summary>Raised (on a pool thread) after a new link to this region passed the handshake.</summary>
    public event Action<RegionPool>? Connected;

    public int OpenCount
    {
        get
        {
            lock (gate)
                return links.Count(l => l.IsOpen);
        }
    }

    public string? LastError { get; private set; }

    public void Start() => maintaining ??= Task.Run(MaintainAsync);

    /// <summary>The least busy open link, asking for one more when all are busy; null when none is open.</summary>
    public LinkConnection? Pick()
    {
        lock (gate)
        {
            var best = links.Where(l => l.IsOpen).OrderBy(l => l.InFlight).FirstOrDefault();
            if (best is not null && best.InFlight >= options.BurstWhenInFlight && links.Count < options.MaxConnections)
                wake.Release();
            return best;
        }
    }

    private async Task MaintainAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            await PruneAsync();
            var (open, busy) = Census();
            if (open < options.MinConnections || (busy && open < options.MaxConnections))
            {
                if (!await TryOpenAsync())
                {
                    await DelayAsync(backoff.Next());
                    continue;
                }

                backoff.Reset();
                continue;
            }

            // Sleep until a link ends, a call asks for a burst, or it is time to look at idle links.
            await WaitAsync(TimeSpan.FromSeconds(1));
        }
    }

    private (int Open, bool Busy) Census()
    {
        lock (gate)
        {
            var open = links.Where(l => l.IsOpen).ToList();
            return (open.Count, open.Count > 0 && open.All(l => l.InFlight >= options.BurstWhenInFlight));
        }
    }

    private async Task PruneAsync()
    {
        List<LinkConnection> doomed;
        lock (gate)
        {
            doomed = links.Where(l => !l.IsOpen).ToList();
            var open = links.Where(l => l.IsOpen).ToList();
            var idle = open.Where(l => l.InFlight == 0 && DateTimeOffset.UtcNow - l.LastUsed > options.IdleTimeout)
                .OrderBy(l => l.LastUsed)
                .Take(Math.Max(0, open.Count - options.MinConnections));
            doomed.AddRange(idle);
            links.RemoveAll(doomed.Contains);
        }

        foreach (var link in doomed)
            await link.DisposeAsync();
    }

    private async Task<bool> TryOpenAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(linkUri, timeout.Token);
            var link = await LinkHandshake.ConnectAsync(socket, secret, RegionUrl, handler, logger, timeout.Token);
            lock (gate)
                links.Add(link);
            LastError = null;
            _ = link.Completion.ContinueWith(_ => wake.Release(), TaskScheduler.Default);
            Connected?.Invoke(this);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or LinkException or OperationCanceledException or HttpRequestException or IOException)
        {
            socket.Dispose();
            if (stop.IsCancellationRequested)
                return false;
            if (LastError != e.Message)
                RegionLinkLog.ConnectFailed(logger, RegionUrl, e.Message);
            LastError = e.Message;
            return false;
        }
    }

    private async Task WaitAsync(TimeSpan timeout)
    {
        try
        {
            await wake.WaitAsync(timeout, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary><c>http://host:5240/MAAS</c> → <c>ws://host:5240/MAAS/rpc/link</c>.</summary>
    internal static Uri LinkUriFor(string regionUrl)
    {
        var builder = new UriBuilder(regionUrl.TrimEnd('/') + "/rpc/link");
        builder.Scheme = builder.Scheme == "https" ? "wss" : "ws";
        return builder.Uri;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (maintaining is not null)
            await maintaining;
        List<LinkConnection> all;
        lock (gate)
        {
            all = [.. links];
            links.Clear();
        }

        foreach (var link in all)
            await link.DisposeAsync();
        stop.Dispose();
        wake.Dispose();
    }
}

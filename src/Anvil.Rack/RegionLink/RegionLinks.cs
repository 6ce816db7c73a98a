using Anvil.Rpc;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.RegionLink;

/// <summary>
/// The rack's links to every region it knows (the ones it was started with, plus those a region
/// names at registration). A call goes to a connected region — the one that last answered first —
/// and, if that link fails mid-call, to the next; it fails only when no region is reachable within
/// <see cref="RegionLinkOptions.ConnectWait"/>. Regions call the rack back over the same links.
/// </summary>
public sealed class RegionLinks : IAsyncDisposable
{
    private readonly SharedSecret secret;
    private readonly LinkCallHandler handler;
    private readonly RegionLinkOptions options;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly List<RegionPool> pools = [];
    private readonly SemaphoreSlim connected = new(0);
    private string? preferred;
    private bool started;

    public RegionLinks(IEnumerable<string> regionUrls, SharedSecret secret, LinkCallHandler handler, RegionLinkOptions options, ILogger logger)
    {
        this.secret = secret;
        this.handler = handler;
        this.options = options;
        this.logger = logger;
        foreach (var url in regionUrls)
            AddRegion(url);
    }

    /// <summary>Raised after any new link passes the handshake (the rack re-registers on it if needed).</summary>
    public event Action<string>? Connected;

    public bool IsConnected => Snapshot().Any(p => p.OpenCount > 0);

    public IReadOnlyList<string> Regions => [.. Snapshot().Select(p => p.RegionUrl)];

    /// <summary>Region URLs best first: the one that last answered, then those with open links, then the rest.</summary>
    public IReadOnlyList<string> RegionsInPreferenceOrder =>
        [.. Snapshot().OrderByDescending(p => p.RegionUrl == preferred).ThenByDescending(p => p.OpenCount > 0).Select(p => p.RegionUrl)];

    /// <summary>Open links per region, for the service status and tests.</summary>
    public IReadOnlyDictionary<string, int> OpenLinks => Snapshot().ToDictionary(p => p.RegionUrl, p => p.OpenCount, StringComparer.Ordinal);

    /// <summary>Why the regions that are not reachable are not, for the service status.</summary>
    public string Problems => string.Join("; ", Snapshot().Where(p => p.OpenCount == 0 && p.LastError is not null).Select(p => $"{p.RegionUrl}: {p.LastError}"));

    public void Start()
    {
        lock (gate)
            started = true;
        foreach (var pool in Snapshot())
            pool.Start();
    }

    /// <summary>Starts keeping links to a region not known before; known ones are left alone.</summary>
    public void AddRegion(string url)
    {
        var normalised = url.TrimEnd('/');
        RegionPool pool;
        lock (gate)
        {
            if (pools.Any(p => p.RegionUrl == normalised))
                return;
            pool = new RegionPool(normalised, secret, handler, options, logger);
            pool.Connected += p =>
            {
                connected.Release();
                Connected?.Invoke(p.RegionUrl);
            };
            pools.Add(pool);
            if (started)
                pool.Start();
        }
    }

    public async Task<T> CallAsync<T>(string method, object? args, CancellationToken ct)
    {
        var tried = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + options.ConnectWait;
        LinkException? last = null;
        while (true)
        {
            var candidates = Snapshot().OrderByDescending(p => p.RegionUrl == preferred).ThenBy(p => tried.Contains(p.RegionUrl)).ToList();
            foreach (var pool in candidates)
            {
                if (pool.Pick() is not { } link)
                    continue;
                try
                {
                    var result = await link.CallAsync<T>(method, args, ct);
                    preferred = pool.RegionUrl;
                    return result;
                }
                catch (LinkException e)
                {
                    // The link broke under the call; another region (or a fresh link) gets it.
                    RegionLinkLog.FailedOver(logger, method, pool.RegionUrl, e.Message);
                    tried.Add(pool.RegionUrl);
                    last = e;
                }
            }

            var wait = deadline - DateTimeOffset.UtcNow;
            if (wait <= TimeSpan.Zero)
                throw new LinkException($"No region is reachable for {method}.", last);
            await connected.WaitAsync(wait < TimeSpan.FromMilliseconds(200) ? wait : TimeSpan.FromMilliseconds(200), ct);
        }
    }

    private List<RegionPool> Snapshot()
    {
        lock (gate)
            return [.. pools];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in Snapshot())
            await pool.DisposeAsync();
        connected.Dispose();
    }
}

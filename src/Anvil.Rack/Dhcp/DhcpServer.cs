using Anvil.Rack.Dhcp.Engine;
using Anvil.Rack.Dhcp.Persistence;
using Anvil.Rack.Dhcp.Server;
using Anvil.Rack.Leases;
using Anvil.Rack.Metrics;
using Anvil.Rack.Timeline;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Dhcp;

/// <summary>
/// The rack's DHCPv4 server: one socket per served interface, the lease engine, the lease journal
/// in <c>dataDirectory</c>, and a once-a-second sweep that expires leases and compacts the journal.
/// <see cref="Apply"/> replaces the served config whole, before or while running.
/// </summary>
public sealed class DhcpServer : IAsyncDisposable
{
    private readonly DhcpMetrics metrics;
    private readonly TimeProvider time;
    private readonly string dataDirectory;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, DhcpListener> listeners = new(StringComparer.Ordinal);
    private readonly ILeaseSink leases;
    private DhcpEngine? engine;
    private LeaseJournal? journal;
    private ITimer? sweepTimer;
    private DhcpServerConfig config = DhcpServerConfig.Empty;
    private volatile DhcpServerState state = DhcpServerState.Stopped;

    public DhcpServer(RackMetrics metrics, ILeaseSink leases, TimeProvider time, string dataDirectory, ILogger<DhcpServer> logger)
    {
        this.metrics = new DhcpMetrics(metrics);
        this.leases = leases;
        this.time = time;
        this.dataDirectory = dataDirectory;
        this.logger = logger;
    }

    /// <summary>Where DHCP requests and answers go for the boot timeline; none when null.</summary>
    public IBootEventSink? Timeline { get; init; }

    /// <summary>The MAC holding a lease on <paramref name="address"/>, for the timeline of TFTP and HTTP fetches; null when none does.</summary>
    public string? MacOf(System.Net.IPAddress address) => engine?.MacOf(address);

    /// <summary>The UDP port to listen on; 67 except in tests that cannot use it.</summary>
    public int Port { get; init; } = 67;

    public DhcpServerState State => state;

    public bool IsRunning => state == DhcpServerState.Running;

    /// <summary>The interfaces with an open socket.</summary>
    public IReadOnlyList<string> Interfaces
    {
        get
        {
            lock (gate)
                return [.. listeners.Keys.Order(StringComparer.Ordinal)];
        }
    }

    internal DhcpEngine? Engine => engine;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (engine is not null)
                return Task.CompletedTask;
            var stored = LeaseJournal.Load(dataDirectory, out _);
            journal = new LeaseJournal(dataDirectory);
            journal.Compact(stored);
            engine = new DhcpEngine(metrics, leases, time, journal, Timeline);
            engine.Load(stored);
            engine.Apply(config);
            state = DhcpServerState.Running;
            Reconcile();
            sweepTimer = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            DhcpLog.Started(logger, stored.Count, dataDirectory);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        ITimer? timer;
        lock (gate)
        {
            timer = sweepTimer;
            sweepTimer = null;
            foreach (var listener in listeners.Values)
                listener.Dispose();
            listeners.Clear();
        }

        if (timer is not null)
            await timer.DisposeAsync();
        lock (gate)
        {
            journal?.Dispose();
            journal = null;
            engine = null;
            if (state != DhcpServerState.Failed)
                state = DhcpServerState.Stopped;
        }

        DhcpLog.Stopped(logger);
    }

    /// <summary>Serves <paramref name="newConfig"/> from now on: leases move over, sockets open and close to match its interfaces.</summary>
    public void Apply(DhcpServerConfig newConfig)
    {
        lock (gate)
        {
            config = newConfig;
            if (engine is null)
                return;
            engine.Apply(newConfig);
            Reconcile();
        }

        DhcpLog.Applied(logger, newConfig.Subnets.Count, newConfig.Hosts.Count);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private void Reconcile()
    {
        var wanted = config.Subnets.Select(s => s.Interface).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var gone in listeners.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            listeners[gone].Dispose();
            listeners.Remove(gone);
            DhcpLog.NotListening(logger, gone);
        }

        foreach (var name in wanted.Where(n => !listeners.ContainsKey(n)))
        {
            try
            {
                listeners[name] = new DhcpListener(name, Port, engine!, metrics, logger, Failed);
                DhcpLog.Listening(logger, name);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
            {
                DhcpLog.ListenFailed(logger, name, e);
            }
        }
    }

    private void Failed(Exception exception)
    {
        _ = exception;
        state = DhcpServerState.Failed;
    }

    private void Sweep()
    {
        try
        {
            lock (gate)
            {
                if (engine?.Sweep() is >= 0 and var compacted)
                    DhcpLog.Compacted(logger, compacted);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DhcpLog.SweepFailed(logger, e);
        }
    }
}

using Anvil.Domain.Leases;
using Anvil.Rack.Metrics;

namespace Anvil.Rack.Leases;

/// <summary>
/// Lease events waiting for the region. The DHCP server adds without blocking; a flusher takes
/// them in batches — as soon as <c>batchSize</c> are waiting, or <c>flushInterval</c> after the
/// first of a batch arrived — and hands each batch to the region in one call. A batch the region
/// did not take stays at the head of the queue, in order, until a region takes it, so no event is
/// lost while no region is reachable (up to <c>capacity</c>; beyond that the oldest go, counted).
/// </summary>
public sealed class LeaseQueue : ILeaseSink, IAsyncDisposable
{
    private readonly Func<IReadOnlyList<LeaseEvent>, CancellationToken, Task> send;
    private readonly int batchSize;
    private readonly TimeSpan flushInterval;
    private readonly int capacity;
    private readonly Lock gate = new();
    private readonly LinkedList<LeaseEvent> waiting = new();
    private readonly SemaphoreSlim signal = new(0);
    private readonly CancellationTokenSource stop = new();
    private readonly Counter queued;
    private readonly Counter sent;
    private readonly Counter dropped;
    private readonly Counter failedFlushes;
    private Task? flushing;

    public LeaseQueue(Func<IReadOnlyList<LeaseEvent>, CancellationToken, Task> send, int batchSize, TimeSpan flushInterval, RackMetrics metrics, int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.send = send;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.capacity = capacity;
        queued = metrics.Counter("anvil_leases_queued_total", "Lease events queued for the region.");
        sent = metrics.Counter("anvil_leases_sent_total", "Lease events the region took.");
        dropped = metrics.Counter("anvil_leases_dropped_total", "Lease events dropped because the queue was full.");
        failedFlushes = metrics.Counter("anvil_lease_flush_failures_total", "Lease batches no region took (kept for the next try).");
    }

    public int Count
    {
        get
        {
            lock (gate)
                return waiting.Count;
        }
    }

    public void Start() => flushing ??= Task.Run(FlushLoopAsync);

    public void Report(LeaseEvent lease)
    {
        bool full;
        lock (gate)
        {
            waiting.AddLast(lease);
            if (waiting.Count > capacity)
            {
                waiting.RemoveFirst();
                dropped.Increment();
            }

            full = waiting.Count >= batchSize;
        }

        queued.Increment();
        if (full)
            signal.Release();
    }

    private async Task FlushLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            // Nothing waiting: look again shortly. Something waiting: give the batch the interval
            // to fill, unless it is full already (Report wakes us then).
            var count = Count;
            if (count == 0)
            {
                await WaitAsync(TimeSpan.FromMilliseconds(50));
                continue;
            }

            if (count < batchSize)
                await WaitAsync(flushInterval);

            List<LeaseEvent> batch;
            lock (gate)
                batch = [.. waiting.Take(batchSize)];
            try
            {
                await send(batch, stop.Token);
                lock (gate)
                {
                    // Events dropped for capacity meanwhile are gone already; remove only what was sent.
                    foreach (var lease in batch)
                    {
                        if (waiting.First is { } head && ReferenceEquals(head.Value, lease))
                            waiting.RemoveFirst();
                    }
                }

                sent.Add(batch.Count);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // No region took it: keep it at the head and try again shortly.
                failedFlushes.Increment();
                await WaitAsync(TimeSpan.FromSeconds(1));
            }
        }
    }

    private async Task WaitAsync(TimeSpan timeout)
    {
        try
        {
            await signal.WaitAsync(timeout, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (flushing is not null)
            await flushing;
        stop.Dispose();
        signal.Dispose();
    }
}

using Anvil.Rack.Metrics;

namespace Anvil.Rack.Batching;

/// <summary>The counters of one <see cref="BatchQueue{T}"/>, by name.</summary>
public sealed record BatchQueueMetrics(string Queued, string Sent, string Dropped, string FailedFlushes, string What);

/// <summary>
/// Events waiting for the region (lease events, boot timeline events). Producers add without blocking; a flusher takes
/// them in batches — as soon as <c>batchSize</c> are waiting, or <c>flushInterval</c> after the
/// first of a batch arrived — and hands each batch to the region in one call. A batch the region
/// did not take stays at the head of the queue, in order, until a region takes it, so no event is
/// lost while no region is reachable (up to <c>capacity</c>; beyond that the oldest go, counted).
/// </summary>
public class BatchQueue<T> : IAsyncDisposable
    where T : class
{
    private readonly Func<IReadOnlyList<T>, CancellationToken, Task> send;
    private readonly int batchSize;
    private readonly TimeSpan flushInterval;
    private readonly int capacity;
    private readonly Lock gate = new();
    private readonly LinkedList<T> waiting = new();
    private readonly SemaphoreSlim signal = new(0);
    private readonly CancellationTokenSource stop = new();
    private readonly Counter queued;
    private readonly Counter sent;
    private readonly Counter dropped;
    private readonly Counter failedFlushes;
    private Task? flushing;

    public BatchQueue(Func<IReadOnlyList<T>, CancellationToken, Task> send, int batchSize, TimeSpan flushInterval, RackMetrics metrics, BatchQueueMetrics names, int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.send = send;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.capacity = capacity;
        queued = metrics.Counter(names.Queued, $"{names.What} queued for the region.");
        sent = metrics.Counter(names.Sent, $"{names.What} the region took.");
        dropped = metrics.Counter(names.Dropped, $"{names.What} dropped because the queue was full.");
        failedFlushes = metrics.Counter(names.FailedFlushes, $"Batches of {names.What} no region took (kept for the next try).");
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

    /// <summary>Queues one event; never blocks.</summary>
    public void Add(T item)
    {
        bool full;
        lock (gate)
        {
            waiting.AddLast(item);
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

            List<T> batch;
            lock (gate)
                batch = [.. waiting.Take(batchSize)];
            try
            {
                await send(batch, stop.Token);
                lock (gate)
                {
                    // Events dropped for capacity meanwhile are gone already; remove only what was sent.
                    foreach (var item in batch)
                    {
                        if (waiting.First is { } head && ReferenceEquals(head.Value, item))
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
        GC.SuppressFinalize(this);
        await stop.CancelAsync();
        if (flushing is not null)
            await flushing;
        stop.Dispose();
        signal.Dispose();
    }
}

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// The threads that run transfers: a dedicated thread per running transfer, at most
/// <c>maxThreads</c> of them, started when a request finds none idle and ended after they have
/// idled a while; requests beyond them wait in a bounded queue. A transfer is a lock-step loop of
/// blocking sends and receives; on its own thread the ACK wakes exactly the thread that sends the
/// next block, where the thread pool would cost two hand-offs per block.
/// </summary>
internal sealed class TransferWorkers(int maxThreads, int queueCapacity, Action<TftpTransferRequest> serve)
{
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);
    private readonly object gate = new();
    private readonly Queue<TftpTransferRequest> waiting = new();
    private readonly TaskCompletionSource allEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int threads;
    private int idle;
    private bool stopped;

    /// <summary>Queues a request for the next free thread; false when the queue is full or the workers have stopped.</summary>
    public bool TryEnqueue(TftpTransferRequest request)
    {
        lock (gate)
        {
            if (stopped || waiting.Count >= queueCapacity)
                return false;
            waiting.Enqueue(request);
            if (idle > 0)
                Monitor.Pulse(gate);

            // A woken thread counts as idle until it takes a request, so start one only for requests no idle thread covers.
            if (waiting.Count <= idle || threads >= maxThreads)
                return true;
            threads++;
        }

        new Thread(Work) { IsBackground = true, Name = "TFTP transfer" }.Start();
        return true;
    }

    /// <summary>Drops what waits and completes when every thread has finished its transfer (the caller cancels those).</summary>
    public Task StopAsync()
    {
        lock (gate)
        {
            stopped = true;
            waiting.Clear();
            Monitor.PulseAll(gate);
            if (threads == 0)
                allEnded.TrySetResult();
        }

        return allEnded.Task;
    }

    private void Work()
    {
        while (Next() is { } request)
            serve(request);
    }

    private TftpTransferRequest? Next()
    {
        lock (gate)
        {
            while (!stopped)
            {
                if (waiting.TryDequeue(out var request))
                    return request;
                idle++;
                var woken = Monitor.Wait(gate, IdleLifetime);
                idle--;
                if (!woken && waiting.Count == 0)
                    break;
            }

            threads--;
            if (stopped && threads == 0)
                allEnded.TrySetResult();
            return null;
        }
    }
}

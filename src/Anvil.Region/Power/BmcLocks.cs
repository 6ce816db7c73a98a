namespace Anvil.Region.Power;

/// <summary>
/// One lock per BMC (named by power type and address), so this region never has two requests in
/// flight to one BMC: polls and actions for machines that share a chassis wait their turn. Locks
/// exist only while someone holds or waits for them.
/// </summary>
internal sealed class BmcLocks
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string bmc, CancellationToken ct)
    {
        SemaphoreSlim gate;
        lock (locks)
        {
            var entry = locks.TryGetValue(bmc, out var found) ? found : (new SemaphoreSlim(1, 1), 0);
            locks[bmc] = (entry.Item1, entry.Item2 + 1);
            gate = entry.Item1;
        }

        try
        {
            await gate.WaitAsync(ct);
        }
        catch
        {
            Leave(bmc);
            throw;
        }

        return new Held(this, bmc, gate);
    }

    private void Leave(string bmc)
    {
        lock (locks)
        {
            var (gate, users) = locks[bmc];
            if (users == 1)
            {
                locks.Remove(bmc);
                gate.Dispose();
            }
            else
            {
                locks[bmc] = (gate, users - 1);
            }
        }
    }

    private sealed class Held(BmcLocks owner, string bmc, SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 1)
                return;
            gate.Release();
            owner.Leave(bmc);
        }
    }
}

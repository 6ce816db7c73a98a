using Anvil.Domain.Leases;
using Anvil.Rack.Leases;

namespace Anvil.Rack.Tests.Dhcp;

/// <summary>Keeps every lease event; tests wait on it with a timeout so a missing event fails, never hangs.</summary>
internal sealed class RecordingLeaseSink : ILeaseSink
{
    private readonly List<LeaseEvent> events = [];

    public IReadOnlyList<LeaseEvent> Events
    {
        get
        {
            lock (events)
                return [.. events];
        }
    }

    public void Report(LeaseEvent lease)
    {
        lock (events)
            events.Add(lease);
    }

    public async Task<LeaseEvent> WaitForAsync(Func<LeaseEvent, bool> match, TimeSpan timeout, int occurrence = 1)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = Events.Where(match).ToList();
            if (found.Count >= occurrence)
                return found[occurrence - 1];
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"lease event #{occurrence} not seen within {timeout}; events: {string.Join("; ", Events)}");
            await Task.Delay(20);
        }
    }
}

using Anvil.Domain.Leases;
using Anvil.Rack.Batching;
using Anvil.Rack.Metrics;

namespace Anvil.Rack.Leases;

/// <summary>Lease events waiting for the region: a <see cref="BatchQueue{T}"/> the DHCP server reports into.</summary>
public sealed class LeaseQueue(Func<IReadOnlyList<LeaseEvent>, CancellationToken, Task> send, int batchSize, TimeSpan flushInterval, RackMetrics metrics, int capacity = 100_000)
    : BatchQueue<LeaseEvent>(send, batchSize, flushInterval, metrics, Names, capacity), ILeaseSink
{
    private static readonly BatchQueueMetrics Names = new(
        "anvil_leases_queued_total", "anvil_leases_sent_total", "anvil_leases_dropped_total", "anvil_lease_flush_failures_total", "Lease events");

    public void Report(LeaseEvent lease) => Add(lease);
}

using Anvil.Rack.Batching;
using Anvil.Rack.Metrics;
using Anvil.Rpc.Contracts;

namespace Anvil.Rack.Timeline;

/// <summary>Boot timeline events waiting for the region: a <see cref="BatchQueue{T}"/> the DHCP, TFTP and HTTP servers record into.</summary>
public sealed class BootEventQueue(Func<IReadOnlyList<BootEventDto>, CancellationToken, Task> send, int batchSize, TimeSpan flushInterval, RackMetrics metrics, int capacity = 100_000)
    : BatchQueue<BootEventDto>(send, batchSize, flushInterval, metrics, Names, capacity), IBootEventSink
{
    private static readonly BatchQueueMetrics Names = new(
        "anvil_boot_events_queued_total", "anvil_boot_events_sent_total", "anvil_boot_events_dropped_total", "anvil_boot_event_flush_failures_total", "Boot events");

    public void Record(BootEventDto bootEvent) => Add(bootEvent);
}

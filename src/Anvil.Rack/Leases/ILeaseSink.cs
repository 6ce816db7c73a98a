using Anvil.Domain.Leases;

namespace Anvil.Rack.Leases;

/// <summary>
/// Where the DHCP server reports lease events (commit, renew as commit, release, expiry). The
/// rack's implementation queues them and flushes batches to the region; it never blocks the caller.
/// </summary>
public interface ILeaseSink
{
    void Report(LeaseEvent lease);
}

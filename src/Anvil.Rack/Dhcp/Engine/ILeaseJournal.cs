namespace Anvil.Rack.Dhcp.Engine;

/// <summary>Where the engine records lease changes so they survive a restart.</summary>
internal interface ILeaseJournal
{
    void Committed(DhcpLease lease);

    void Ended(DhcpLease lease);

    /// <summary>Called once per processed packet, after its changes: hand them to the OS.</summary>
    void Flush();

    /// <summary>True when the journal has grown well past <paramref name="clients"/> and should be rewritten.</summary>
    bool ShouldCompact(int clients);

    void Compact(IReadOnlyList<StoredLease> live);
}

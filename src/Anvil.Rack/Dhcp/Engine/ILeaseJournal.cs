namespace Anvil.Rack.Dhcp.Engine;

/// <summary>Where the engine records lease changes so they survive a restart.</summary>
internal interface ILeaseJournal
{
    void Committed(DhcpLease lease);

    void Ended(DhcpLease lease);
}

namespace Anvil.Domain.Leases;

/// <summary>What the DHCP server reported for a lease (its <c>on commit/expiry/release</c> hooks).</summary>
public enum LeaseAction
{
    Commit,
    Expiry,
    Release,
}

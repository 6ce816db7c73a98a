namespace Anvil.Domain.Netplan;

/// <summary>How often an 802.3ad partner is asked to send LACPDUs.</summary>
public enum BondLacpRate
{
    Slow,
    Fast,
}

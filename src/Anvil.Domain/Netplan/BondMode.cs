namespace Anvil.Domain.Netplan;

/// <summary>The Linux bonding modes MAAS offers (<c>balance-rr</c> … <c>balance-alb</c>).</summary>
public enum BondMode
{
    BalanceRr,
    ActiveBackup,
    BalanceXor,
    Broadcast,
    Ieee8023ad,
    BalanceTlb,
    BalanceAlb,
}

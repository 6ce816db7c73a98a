namespace Anvil.Domain.Netplan;

/// <summary>The words netplan (and the kernel's bonding driver) use for the model's enums.</summary>
internal static class NetplanSpelling
{
    public static string Of(BondMode mode) => mode switch
    {
        BondMode.BalanceRr => "balance-rr",
        BondMode.ActiveBackup => "active-backup",
        BondMode.BalanceXor => "balance-xor",
        BondMode.Broadcast => "broadcast",
        BondMode.Ieee8023ad => "802.3ad",
        BondMode.BalanceTlb => "balance-tlb",
        BondMode.BalanceAlb => "balance-alb",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static string Of(BondLacpRate rate) => rate switch
    {
        BondLacpRate.Slow => "slow",
        BondLacpRate.Fast => "fast",
        _ => throw new ArgumentOutOfRangeException(nameof(rate), rate, null),
    };

    public static string Of(BondXmitHashPolicy policy) => policy switch
    {
        BondXmitHashPolicy.Layer2 => "layer2",
        BondXmitHashPolicy.Layer2Plus3 => "layer2+3",
        BondXmitHashPolicy.Layer3Plus4 => "layer3+4",
        BondXmitHashPolicy.Encap2Plus3 => "encap2+3",
        BondXmitHashPolicy.Encap3Plus4 => "encap3+4",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };
}

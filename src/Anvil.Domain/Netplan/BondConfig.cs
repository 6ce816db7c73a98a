namespace Anvil.Domain.Netplan;

/// <summary>
/// A bond's parameters; the defaults are MAAS's. A null value is left out so netplan's default applies.
/// </summary>
public sealed record BondConfig
{
    public BondMode Mode { get; init; } = BondMode.BalanceRr;

    /// <summary>MII link monitoring interval in milliseconds (MAAS's <c>bond_miimon</c>).</summary>
    public int? MiiMonitorInterval { get; init; } = 100;

    public int? DownDelay { get; init; } = 0;

    public int? UpDelay { get; init; } = 0;

    /// <summary>Rendered only in 802.3ad mode, the only one that speaks LACP.</summary>
    public BondLacpRate? LacpRate { get; init; } = BondLacpRate.Slow;

    /// <summary>Rendered only in balance-xor, 802.3ad and balance-tlb, the modes that hash.</summary>
    public BondXmitHashPolicy? XmitHashPolicy { get; init; } = BondXmitHashPolicy.Layer2;

    /// <summary>Peer notifications after a failover (MAAS's <c>bond_num_grat_arp</c>).</summary>
    public int? NumGratArp { get; init; } = 1;
}

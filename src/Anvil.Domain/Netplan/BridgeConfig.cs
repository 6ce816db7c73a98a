namespace Anvil.Domain.Netplan;

/// <summary>A bridge's parameters; the defaults are MAAS's.</summary>
public sealed record BridgeConfig
{
    public BridgeType Type { get; init; } = BridgeType.Standard;

    /// <summary>Spanning tree; standard bridges only (Open vSwitch ignores netplan's bridge parameters).</summary>
    public bool Stp { get; init; }

    /// <summary>Seconds spent listening and learning before forwarding; standard bridges only.</summary>
    public int? ForwardDelay { get; init; } = 15;
}

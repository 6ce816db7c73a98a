namespace Anvil.Domain.Netplan;

/// <summary>A Linux bridge or an Open vSwitch bridge (MAAS's <c>standard</c> and <c>ovs</c>).</summary>
public enum BridgeType
{
    Standard,
    Ovs,
}

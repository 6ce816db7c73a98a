namespace Anvil.Domain.Netplan;

/// <summary>The kinds of interface that netplan renders (MAAS's <c>physical</c>, <c>bond</c>, <c>bridge</c>, <c>vlan</c>).</summary>
public enum InterfaceType
{
    Physical,
    Bond,
    Bridge,
    Vlan,
}

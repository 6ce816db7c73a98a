namespace Anvil.Domain.Netplan;

/// <summary>How a bond picks the member for a packet (<c>layer2</c>, <c>layer2+3</c>, <c>layer3+4</c>, <c>encap2+3</c>, <c>encap3+4</c>).</summary>
public enum BondXmitHashPolicy
{
    Layer2,
    Layer2Plus3,
    Layer3Plus4,
    Encap2Plus3,
    Encap3Plus4,
}

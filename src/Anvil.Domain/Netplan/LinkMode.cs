namespace Anvil.Domain.Netplan;

/// <summary>How a link gets its address (MAAS's <c>static</c>, <c>auto</c>, <c>dhcp</c>, <c>link_up</c>).</summary>
public enum LinkMode
{
    /// <summary>A fixed address chosen by the user.</summary>
    Static,

    /// <summary>An address MAAS picked from the subnet at deploy time; by rendering time it is just as fixed.</summary>
    Auto,

    Dhcp,

    /// <summary>The interface is brought up with no address.</summary>
    LinkUp,
}

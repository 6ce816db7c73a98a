namespace Anvil.Domain.Netplan;

/// <summary>One interface of the machine and how it is configured.</summary>
public sealed record InterfaceConfig
{
    /// <summary>The kernel name the interface gets (<c>eth0</c>, <c>bond0</c>, <c>bond0.100</c>, <c>br0</c>).</summary>
    public required string Name { get; init; }

    public required InterfaceType Type { get; init; }

    /// <summary>Required for physical interfaces, which netplan finds by it; optional elsewhere.</summary>
    public string? MacAddress { get; init; }

    /// <summary>The effective MTU; null leaves it to the kernel.</summary>
    public int? Mtu { get; init; }

    /// <summary>Names of the interfaces this one sits on: a bond's members, a bridge's ports, a VLAN's link.</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];

    /// <summary>The 802.1Q id; VLAN interfaces only.</summary>
    public int? VlanId { get; init; }

    /// <summary>Bond interfaces only; null leaves every bond parameter to netplan's defaults.</summary>
    public BondConfig? Bond { get; init; }

    /// <summary>Bridge interfaces only; null is a standard bridge with netplan's defaults.</summary>
    public BridgeConfig? Bridge { get; init; }

    /// <summary>IPv6 router advertisements; null leaves the kernel default.</summary>
    public bool? AcceptRa { get; init; }

    /// <summary>A disabled interface is left out of the rendering.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>In order; the first address on an interface becomes its primary.</summary>
    public IReadOnlyList<LinkConfig> Links { get; init; } = [];
}

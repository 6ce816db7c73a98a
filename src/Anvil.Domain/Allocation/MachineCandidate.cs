using Anvil.Domain.Machines;

namespace Anvil.Domain.Allocation;

/// <summary>
/// Everything the constraint language looks at for one node, as a snapshot. The data layer
/// builds these (it may pre-filter simple fields in SQL); <see cref="ConstraintMatcher"/> must
/// not need anything else.
/// </summary>
public sealed record MachineCandidate
{
    public required long Id { get; init; }
    public required string SystemId { get; init; }
    public required string Hostname { get; init; }
    public string DomainName { get; init; } = "maas";
    /// <summary>Full architecture, e.g. <c>amd64/generic</c>.</summary>
    public string Architecture { get; init; } = "";
    public int CpuCount { get; init; }
    /// <summary>MHz.</summary>
    public int CpuSpeed { get; init; }
    /// <summary>MiB.</summary>
    public long Memory { get; init; }
    public NodeStatus Status { get; init; }
    public string? OwnerName { get; init; }
    public string PowerState { get; init; } = Machines.PowerState.Unknown;
    public string ZoneName { get; init; } = "default";
    public string PoolName { get; init; } = "default";
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string AgentName { get; init; } = "";
    /// <summary>True when the deployment target is memory (ephemeral deploy), false for disk.</summary>
    public bool EphemeralDeploy { get; init; }
    public IReadOnlyList<BlockDeviceCandidate> BlockDevices { get; init; } = [];
    public IReadOnlyList<InterfaceCandidate> Interfaces { get; init; } = [];
    /// <summary>PCI and USB devices found by commissioning.</summary>
    public IReadOnlyList<NodeDeviceCandidate> Devices { get; init; } = [];
}

/// <summary>A block device of the node's current storage model.</summary>
public sealed record BlockDeviceCandidate
{
    public required long Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>Bytes.</summary>
    public long Size { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>
    /// The root filesystem ('/') lives on this device, directly or on one of its partitions.
    /// The first storage constraint is matched against this device (MAAS calls it the boot disk).
    /// </summary>
    public bool HoldsRoot { get; init; }
    /// <summary>Formatted directly; such a device is not free for the non-root constraints.</summary>
    public bool HasFilesystem { get; init; }
    /// <summary>Carries a partition table; such a device is not free for the non-root constraints.</summary>
    public bool HasPartitionTable { get; init; }
    public IReadOnlyList<PartitionCandidate> Partitions { get; init; } = [];
}

public sealed record PartitionCandidate
{
    public required long Id { get; init; }
    /// <summary>Bytes.</summary>
    public long Size { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The root filesystem ('/') is on this partition.</summary>
    public bool HoldsRoot { get; init; }
    /// <summary>Formatted; such a partition is not free for the non-root constraints.</summary>
    public bool HasFilesystem { get; init; }
}

public sealed record InterfaceCandidate
{
    public required long Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary><c>physical</c>, <c>vlan</c>, <c>bond</c>, <c>bridge</c> or <c>unknown</c>.</summary>
    public string Type { get; init; } = "physical";
    /// <summary>Lower-case, colon separated.</summary>
    public string MacAddress { get; init; } = "";
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Mbps.</summary>
    public int LinkSpeed { get; init; }
    public bool Enabled { get; init; } = true;
    public VlanCandidate? Vlan { get; init; }
    /// <summary>One entry per linked subnet; an interface without links is "unconfigured".</summary>
    public IReadOnlyList<SubnetLinkCandidate> Links { get; init; } = [];
}

public sealed record VlanCandidate : IVlanFacts
{
    public required long Id { get; init; }
    public int Vid { get; init; }
    public string Name { get; init; } = "";
    public long FabricId { get; init; }
    public string FabricName { get; init; } = "";
    public string? FabricClassType { get; init; }
    public long? SpaceId { get; init; }
    public string? SpaceName { get; init; }
}

/// <summary>An interface's link to a subnet; no addresses means linked but not (yet) configured.</summary>
public sealed record SubnetLinkCandidate
{
    public required long SubnetId { get; init; }
    public string Name { get; init; } = "";
    public string Cidr { get; init; } = "";
    public string? SpaceName { get; init; }
    public IReadOnlyList<string> IpAddresses { get; init; } = [];
}

/// <summary>A PCI or USB device of the node.</summary>
public sealed record NodeDeviceCandidate
{
    public string VendorId { get; init; } = "";
    public string ProductId { get; init; } = "";
    public string VendorName { get; init; } = "";
    public string ProductName { get; init; } = "";
    public string CommissioningDriver { get; init; } = "";
}

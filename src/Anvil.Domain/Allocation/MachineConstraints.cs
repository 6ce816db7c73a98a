using Anvil.Domain.Machines;

namespace Anvil.Domain.Allocation;

/// <summary>
/// Validated constraints from <see cref="ConstraintForm.Parse"/>. Null means "not given".
/// Sets are exposed so the data layer may pre-filter in SQL; <see cref="ConstraintMatcher"/>
/// applies all of them on its own.
/// </summary>
public sealed class MachineConstraints
{
    internal MachineConstraints()
    {
    }

    public ConstraintFormKind Kind { get; internal init; }

    /// <summary>The parameters as received (minus <c>op</c>), for the 409 text.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Input { get; internal init; } = [];

    /// <summary>Allocate: <c>hostname</c> or <c>hostname.domain</c>; every value must match.</summary>
    public IReadOnlyList<string>? Names { get; internal init; }
    public IReadOnlySet<string>? SystemIds { get; internal init; }

    /// <summary>Full architecture names (wildcards expanded when usable architectures are known).</summary>
    public IReadOnlySet<string>? Architectures { get; internal init; }
    /// <summary>Primary architectures matched as prefixes (only when usable architectures were not given).</summary>
    public IReadOnlySet<string>? ArchitecturePrimaries { get; internal init; }
    public IReadOnlySet<string>? NotArchitectures { get; internal init; }
    public IReadOnlySet<string>? NotArchitecturePrimaries { get; internal init; }

    public double? MinCpuCount { get; internal init; }
    public double? MinCpuSpeed { get; internal init; }
    public double? MinMemory { get; internal init; }
    public double? MinLinkSpeed { get; internal init; }

    public IReadOnlySet<string>? Tags { get; internal init; }
    public IReadOnlySet<string>? NotTags { get; internal init; }
    public IReadOnlySet<string>? Zones { get; internal init; }
    public IReadOnlySet<string>? NotInZones { get; internal init; }
    public IReadOnlySet<string>? Pools { get; internal init; }
    public IReadOnlySet<string>? NotInPools { get; internal init; }
    public IReadOnlySet<string>? Fabrics { get; internal init; }
    public IReadOnlySet<string>? NotFabrics { get; internal init; }
    public IReadOnlySet<string>? FabricClasses { get; internal init; }
    public IReadOnlySet<string>? NotFabricClasses { get; internal init; }
    /// <summary>The machine must be linked to every one of these subnets.</summary>
    public IReadOnlySet<long>? SubnetIds { get; internal init; }
    public IReadOnlySet<long>? NotSubnetIds { get; internal init; }
    /// <summary>Some interface must be on one of these VLANs.</summary>
    public IReadOnlySet<long>? VlanIds { get; internal init; }
    public IReadOnlySet<long>? NotVlanIds { get; internal init; }

    public IReadOnlySet<string>? Owners { get; internal init; }
    public IReadOnlySet<string>? NotOwners { get; internal init; }
    public IReadOnlySet<string>? PowerStates { get; internal init; }
    public IReadOnlySet<string>? NotPowerStates { get; internal init; }
    /// <summary><c>memory</c> (ephemeral deploy) and/or <c>disk</c>.</summary>
    public IReadOnlySet<string>? DeploymentTargets { get; internal init; }
    public IReadOnlySet<string>? NotDeploymentTargets { get; internal init; }

    public IReadOnlySet<string>? Ids { get; internal init; }
    public IReadOnlySet<string>? NotIds { get; internal init; }
    public IReadOnlySet<string>? Hostnames { get; internal init; }
    public IReadOnlySet<string>? NotHostnames { get; internal init; }
    /// <summary>Lower-case, colon separated.</summary>
    public IReadOnlySet<string>? MacAddresses { get; internal init; }
    public IReadOnlySet<string>? Domains { get; internal init; }
    public IReadOnlySet<string>? NotDomains { get; internal init; }
    public IReadOnlySet<string>? AgentNames { get; internal init; }
    public IReadOnlySet<string>? NotAgentNames { get; internal init; }
    public IReadOnlySet<NodeStatus>? Statuses { get; internal init; }
    public IReadOnlySet<NodeStatus>? NotStatuses { get; internal init; }
    /// <summary><c>simple_status</c>, expanded to the statuses it stands for.</summary>
    public IReadOnlySet<NodeStatus>? SimpleStatuses { get; internal init; }
    public IReadOnlySet<NodeStatus>? NotSimpleStatuses { get; internal init; }

    public StorageConstraints? Storage { get; internal init; }
    public InterfacesConstraint? Interfaces { get; internal init; }
    public DevicesConstraint? Devices { get; internal init; }

    internal InterfaceLabelMatcher[] InterfaceLabels { get; init; } = [];

    /// <summary>field → rendered value, for the fields of the form that are set, sorted by field name.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Described { get; init; } = [];

    /// <summary>True when no constraint was given at all.</summary>
    public bool IsEmpty => Described.Count == 0;

    /// <summary>Juju-like <c>arch=amd64/generic cpu_count=4.0 zone=z1</c>, fields in alphabetical order.</summary>
    public string Describe() => string.Join(" ", Described.Select(d => $"{d.Key}={d.Value}"));

    /// <summary>The 409 text of <c>op=allocate</c> when nothing matches.</summary>
    public string NoMatchMessage()
    {
        if (IsEmpty)
            return "No machine available.";
        if (Described is [{ Key: "system_id" }] && SystemIds is { Count: 1 })
            return $"No machine with system ID {SystemIds.First()} available.";
        return $"No available machine matches constraints: {PythonRepr.KeyValueLists(Input)} (resolved to \"{Describe()}\")";
    }
}

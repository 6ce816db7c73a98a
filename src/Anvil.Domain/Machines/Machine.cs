namespace Anvil.Domain.Machines;

/// <summary>
/// A node's lifecycle-relevant state, as loaded (and locked) from the database for one
/// operation. Lifecycle code mutates it; the data layer writes it back in the same transaction.
/// </summary>
public sealed class Machine
{
    public long Id { get; init; }
    public required string SystemId { get; init; }
    public required string Hostname { get; set; }
    public NodeType NodeType { get; init; } = NodeType.MACHINE;
    public NodeStatus Status { get; set; }
    /// <summary>The status before the current operation started (used to return after testing).</summary>
    public NodeStatus PreviousStatus { get; set; }
    public long? OwnerId { get; set; }
    public string? OwnerName { get; set; }
    public bool Locked { get; set; }
    public string PowerType { get; set; } = "";
    public string PowerState { get; set; } = Machines.PowerState.Unknown;
    public string AgentName { get; set; } = "";
    public string Osystem { get; set; } = "";
    public string DistroSeries { get; set; } = "";
    public string? HweKernel { get; set; }
    public string LicenseKey { get; set; } = "";
    public bool EphemeralDeploy { get; set; }
    public bool EnableHwSync { get; set; }
    public bool EnableKernelCrashDump { get; set; }
    public bool Netboot { get; set; } = true;
    public string ErrorDescription { get; set; } = "";
    /// <summary>Let the owner's SSH keys into the commissioning/testing environment (and keep it up after).</summary>
    public bool EnableSsh { get; set; }
    public bool SkipBmcConfig { get; set; }
    public bool SkipNetworking { get; set; }
    public bool SkipStorage { get; set; }
    /// <summary>True while a machine enlisted anonymously is being commissioned for the first time.</summary>
    public bool Enlisting { get; set; }
    /// <summary>When the running operation (commissioning, deploying, …) times out; null when none runs.</summary>
    public DateTimeOffset? StatusExpires { get; set; }
    public Dictionary<string, string> WorkloadAnnotations { get; init; } = new(StringComparer.Ordinal);
}

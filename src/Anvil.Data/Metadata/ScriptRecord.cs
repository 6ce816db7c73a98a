using Anvil.Domain.Scripts;

namespace Anvil.Data.Metadata;

/// <summary>A script with its latest version: what a node is sent to run.</summary>
public sealed class ScriptRecord
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string[] Tags { get; set; } = [];
    public ScriptType ScriptType { get; set; }
    public HardwareType HardwareType { get; set; }
    public ScriptParallel Parallel { get; set; }
    public int TimeoutSeconds { get; set; }
    public bool Destructive { get; set; }
    public bool IsDefault { get; set; }
    public bool MayReboot { get; set; }
    public bool Recommission { get; set; }
    public bool ApplyConfiguredNetworking { get; set; }
    public string[] ForHardware { get; set; } = [];

    /// <summary>The declared parameters, JSON: <c>{"storage": {"type": "storage", …}}</c>.</summary>
    public string Parameters { get; set; } = "{}";

    /// <summary>Packages to install first, JSON: <c>{"apt": […], "snap": […], "url": […]}</c>.</summary>
    public string Packages { get; set; } = "{}";

    /// <summary>The latest version's id; null only for a script that has no version yet.</summary>
    public long? VersionId { get; set; }

    /// <summary>The latest version's text.</summary>
    public string Data { get; set; } = "";
}

using Anvil.Domain.Scripts;

namespace Anvil.Data.Scripts;

/// <summary>
/// A <c>script</c> row, JSON columns as text. Read for a node (<see cref="ScriptCatalog"/>) it
/// also carries its latest version; <see cref="ScriptStore"/> leaves those empty.
/// </summary>
public sealed class ScriptRecord
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

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

    public string Results { get; set; } = "{}";

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Updated { get; set; }

    /// <summary>The latest version's id; null for a script that has no version yet, or when not read.</summary>
    public long? VersionId { get; set; }

    /// <summary>The latest version's text, when read.</summary>
    public string Data { get; set; } = "";

    public ScriptRecord Copy() => (ScriptRecord)MemberwiseClone();
}

/// <summary>One upload of a script's text; the newest is the script's current text.</summary>
public sealed class ScriptVersionRecord
{
    public long Id { get; set; }

    public long ScriptId { get; set; }

    public string Data { get; set; } = "";

    public string Comment { get; set; } = "";

    public DateTimeOffset Created { get; set; }
}

namespace Anvil.Data.Scripts;

/// <summary>A <c>script</c> row; enums as MAAS's integers, JSON columns as text.</summary>
public sealed class ScriptRecord
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    public string[] Tags { get; set; } = [];

    public int ScriptType { get; set; }

    public int HardwareType { get; set; }

    public int Parallel { get; set; }

    public int TimeoutSeconds { get; set; }

    public bool Destructive { get; set; }

    public bool IsDefault { get; set; }

    public bool MayReboot { get; set; }

    public bool Recommission { get; set; }

    public bool ApplyConfiguredNetworking { get; set; }

    public string[] ForHardware { get; set; } = [];

    public string Parameters { get; set; } = "{}";

    public string Packages { get; set; } = "{}";

    public string Results { get; set; } = "{}";

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Updated { get; set; }

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

namespace Anvil.Data.Scripts;

/// <summary>The node a set of results belongs to, with its current result sets.</summary>
public sealed class ResultsNode
{
    public long Id { get; set; }

    public string SystemId { get; set; } = "";

    public string Hostname { get; set; } = "";

    public string Fqdn { get; set; } = "";

    public long? CurrentCommissioningResultId { get; set; }

    public long? CurrentTestingResultId { get; set; }

    public long? CurrentInstallationResultId { get; set; }

    public long? CurrentReleaseResultId { get; set; }
}

/// <summary>A <c>script_set</c> row.</summary>
public sealed class ScriptSetRecord
{
    public long Id { get; set; }

    public long NodeId { get; set; }

    public int ResultType { get; set; }

    public DateTimeOffset? LastPing { get; set; }
}

/// <summary>
/// A <c>script_result</c> row with what rendering it needs from its script (name, tags, hardware
/// type, timeout) and device. Outputs are empty unless asked for.
/// </summary>
public sealed class ScriptResultRecord
{
    public long Id { get; set; }

    public long ScriptSetId { get; set; }

    public long? ScriptId { get; set; }

    public long? ScriptVersionId { get; set; }

    /// <summary>The script's name, or the stored name when the script is gone or never existed.</summary>
    public string Name { get; set; } = "";

    public int Status { get; set; }

    public int? ExitStatus { get; set; }

    public byte[] Output { get; set; } = [];

    public byte[] Stdout { get; set; } = [];

    public byte[] Stderr { get; set; } = [];

    public byte[] Result { get; set; } = [];

    public string Parameters { get; set; } = "{}";

    public bool Suppressed { get; set; }

    public DateTimeOffset? Started { get; set; }

    public DateTimeOffset? Ended { get; set; }

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Updated { get; set; }

    public string[]? ScriptTags { get; set; }

    public int? ScriptHardwareType { get; set; }

    public int? ScriptTimeoutSeconds { get; set; }

    public string? BlockDeviceName { get; set; }

    public string? InterfaceName { get; set; }
}

/// <summary>A passed earlier run of a script on a node, for MAAS's estimated runtime.</summary>
public sealed class PassedRun
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public long? PhysicalBlockdeviceId { get; set; }

    public DateTimeOffset? Started { get; set; }

    public DateTimeOffset? Ended { get; set; }
}

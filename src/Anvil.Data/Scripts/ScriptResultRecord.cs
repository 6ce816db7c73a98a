using Anvil.Domain.Scripts;

namespace Anvil.Data.Scripts;

/// <summary>
/// One script's result in a script set; the four outputs are kept byte for byte (the results API
/// leaves them empty unless asked for). What rendering needs from its script and device is filled
/// only by the results API's query.
/// </summary>
public sealed class ScriptResultRecord
{
    public long Id { get; set; }

    public long ScriptSetId { get; set; }

    public long? ScriptId { get; set; }

    public long? ScriptVersionId { get; set; }

    /// <summary>The name the result was stored with (the results API reads the script's current name when it still exists).</summary>
    public string ScriptName { get; set; } = "";

    public ScriptStatus Status { get; set; }

    public int? ExitStatus { get; set; }

    /// <summary>Combined stdout and stderr.</summary>
    public byte[] Output { get; set; } = [];

    public byte[] Stdout { get; set; } = [];

    public byte[] Stderr { get; set; } = [];

    /// <summary>The result YAML the script wrote.</summary>
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

    public bool HasStarted => Status != ScriptStatus.Pending;

    public bool HasFinished => !ScriptResultStore.IsRunningOrPending(Status);
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

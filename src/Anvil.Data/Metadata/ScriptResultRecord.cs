using Anvil.Domain.Scripts;

namespace Anvil.Data.Metadata;

/// <summary>One script's result in a script set; the four outputs are kept byte for byte.</summary>
public sealed class ScriptResultRecord
{
    public long Id { get; set; }
    public long ScriptSetId { get; set; }
    public long? ScriptId { get; set; }
    public long? ScriptVersionId { get; set; }
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

    public bool HasStarted => Status != ScriptStatus.Pending;

    public bool HasFinished => !ScriptResultStore.IsRunningOrPending(Status);
}

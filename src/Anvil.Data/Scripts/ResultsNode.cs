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

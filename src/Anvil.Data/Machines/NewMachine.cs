using Anvil.Domain.Machines;

namespace Anvil.Data.Machines;

/// <summary>What creating a node stores; validation happened before (in the API layer).</summary>
public sealed record NewMachine
{
    /// <summary>Null: generate a friendly unique name.</summary>
    public string? Hostname { get; init; }
    public string Description { get; init; } = "";
    public NodeType NodeType { get; init; } = NodeType.MACHINE;
    public NodeStatus Status { get; init; } = NodeStatus.NEW;
    public required string Architecture { get; init; }
    public string MinHweKernel { get; init; } = "";
    public long DomainId { get; init; }
    public long ZoneId { get; init; } = 1;
    public long? PoolId { get; init; }
    public long? OwnerId { get; init; }
    public string PowerType { get; init; } = "";
    public string PowerParametersJson { get; init; } = "{}";
    public bool Enlisting { get; init; }
    public IReadOnlyList<string> MacAddresses { get; init; } = [];
}

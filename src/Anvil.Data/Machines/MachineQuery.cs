namespace Anvil.Data.Machines;

/// <summary>
/// The SQL-side narrowing of a machine listing. Only cheap, indexable conditions live here; the
/// full constraint language is applied in memory by the domain's matcher.
/// </summary>
public sealed record MachineQuery
{
    public IReadOnlyList<string>? SystemIds { get; init; }
    public IReadOnlyList<int>? Statuses { get; init; }
    public int? NodeType { get; init; } = 0;
    /// <summary>Only nodes without an owner.</summary>
    public bool UnownedOnly { get; init; }
    public long? OwnerId { get; init; }

    public static MachineQuery AllMachines { get; } = new();
}

using Anvil.Domain.Events;

namespace Anvil.Domain.Machines;

/// <summary>
/// What a lifecycle operation leaves for the region to do: events to record in the same
/// transaction (their user is the actor that asked, none for system decisions), and a power
/// action to run after commit.
/// </summary>
public sealed record LifecycleOutcome(IReadOnlyList<NodeEvent> Events, PowerRequest Power)
{
    /// <summary>Nothing happened (e.g. releasing a machine that is already Ready).</summary>
    public static LifecycleOutcome Nothing { get; } = new([], PowerRequest.None);
}

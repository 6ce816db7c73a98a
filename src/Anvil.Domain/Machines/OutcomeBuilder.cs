using Anvil.Domain.Events;

namespace Anvil.Domain.Machines;

/// <summary>Collects what one lifecycle operation did, in the order it happened.</summary>
internal sealed class OutcomeBuilder
{
    private readonly List<NodeEvent> _events = [];
    private PowerRequest _power = PowerRequest.None;

    public void Event(string type, string? description = null) => _events.Add(new NodeEvent(type, description ?? ""));

    /// <summary>The AUDIT record of a user action (type NODE); the region stores it with the actor.</summary>
    public void Audit(string action, string? comment) => _events.Add(new NodeEvent(EventTypes.NODE, comment ?? "", action));

    /// <summary>Moves the machine (refused like MAAS when the table does not allow it) and records the change.</summary>
    public void ChangeStatus(Machine machine, NodeStatus to)
    {
        var from = machine.Status;
        NodeTransitions.Apply(machine, to);
        Event(EventTypes.NODE_CHANGED_STATUS, $"From '{NodeStatusInfo.Label(from)}' to '{NodeStatusInfo.Label(to)}'");
    }

    public void Power(PowerRequest request) => _power = request;

    public LifecycleOutcome Build() => new(_events.ToArray(), _power);
}

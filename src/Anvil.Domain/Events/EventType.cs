namespace Anvil.Domain.Events;

/// <summary>An event type: its stable name, the description MAAS shows as the event's "type", and its level.</summary>
public sealed record EventType(string Name, string Description, EventLevel Level);

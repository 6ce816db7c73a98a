namespace Anvil.Domain.Events;

/// <summary>
/// An event that an operation produced for a node (or, with no node, for the system);
/// the data layer stores it in the same transaction as the state change that caused it.
/// </summary>
/// <param name="Type">An <see cref="EventTypes"/> name.</param>
/// <param name="Description">Free text, e.g. the user's comment.</param>
/// <param name="Action">For AUDIT events: what the user did.</param>
public sealed record NodeEvent(string Type, string Description = "", string Action = "");

namespace Anvil.Data.Tags;

/// <summary>A node that carries a tag: enough to list it or to load it in full.</summary>
public sealed record TaggedNode(long Id, string SystemId, string Hostname, int NodeType);

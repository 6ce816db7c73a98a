namespace Anvil.Data.Metadata;

/// <summary>
/// A node's own OAuth credentials for the metadata server (MAAS's NodeKey): the consumer secret
/// is empty, as for every MAAS token, so the PLAINTEXT signature is <c>&amp;token_secret</c>.
/// </summary>
public sealed record NodeKey(long NodeId, string SystemId, string ConsumerKey, string TokenKey, string TokenSecret);

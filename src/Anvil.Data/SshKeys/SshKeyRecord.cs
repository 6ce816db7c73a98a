namespace Anvil.Data.SshKeys;

/// <summary>A user's SSH public key; <see cref="Keysource"/> is where it was imported from (e.g. <c>gh:alice</c>), if anywhere.</summary>
public sealed record SshKeyRecord(long Id, long UserId, string Key, string? Keysource);

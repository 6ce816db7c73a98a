using Anvil.Data.SshKeys;

namespace Anvil.Region.Api.Resources.Dto;

internal sealed record SshKeyDto(long Id, string Key, string? Keysource, string ResourceUri)
{
    public static SshKeyDto From(SshKeyRecord key) => new(key.Id, key.Key, key.Keysource, ResourceUris.Item("account/prefs/sshkeys", key.Id));
}

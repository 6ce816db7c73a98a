using Anvil.Data.Users;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Resources.Dto;

internal sealed record UserDto(string Username, string Email, bool IsLocal, bool IsSuperuser, string ResourceUri)
{
    public static UserDto From(UserRecord user) => new(user.Username, user.Email, user.IsLocal, user.IsSuperuser, ResourceUris.Item("users", user.Username));

    public static UserDto From(ApiUser user) => new(user.Username, user.Email, user.IsLocal, user.IsSuperuser, ResourceUris.Item("users", user.Username));
}

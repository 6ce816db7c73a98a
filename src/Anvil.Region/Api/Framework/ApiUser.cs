using Anvil.Domain.Users;

namespace Anvil.Region.Api.Framework;

/// <summary>The authenticated caller of an API request.</summary>
public sealed record ApiUser(long Id, string Username, string Email, bool IsSuperuser, bool IsLocal = true)
{
    public Actor ToActor() => new(Id, Username, IsSuperuser);
}

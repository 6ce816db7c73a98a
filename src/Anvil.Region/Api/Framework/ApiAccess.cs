namespace Anvil.Region.Api.Framework;

/// <summary>Who may call an action, checked by the dispatcher before the action runs.</summary>
public enum ApiAccess
{
    /// <summary>Only on an anonymous handler: callers without credentials.</summary>
    Anonymous,

    /// <summary>Any authenticated, active user.</summary>
    Authenticated,

    /// <summary>Superusers only; others get 403 "This method is reserved for admin users."</summary>
    Admin,
}

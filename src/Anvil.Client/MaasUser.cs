namespace Anvil.Client;

/// <summary>A MAAS user as returned by <c>users/?op=whoami</c>.</summary>
public sealed record MaasUser
{
    /// <summary>The login name.</summary>
    public string Username { get; init; } = "";

    /// <summary>The e-mail address.</summary>
    public string? Email { get; init; }

    /// <summary>True for administrators.</summary>
    public bool IsSuperuser { get; init; }

    /// <summary>True when the user is managed by MAAS rather than an external identity provider.</summary>
    public bool IsLocal { get; init; }
}

namespace Anvil.Client.Description;

/// <summary>One API resource: a URL pattern served by an authenticated and/or anonymous handler.</summary>
public sealed record MaasApiResource
{
    /// <summary>The authenticated handler's class name, or the anonymous one's when there is none.</summary>
    public string Name { get; init; } = "";

    /// <summary>The handler used without credentials, if any.</summary>
    public MaasApiHandler? Anon { get; init; }

    /// <summary>The handler used with credentials, if any.</summary>
    public MaasApiHandler? Auth { get; init; }
}

namespace Anvil.Client.Description;

/// <summary>A handler: the actions available on one URL pattern.</summary>
public sealed record MaasApiHandler
{
    /// <summary>The handler class name, e.g. <c>MachineHandler</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>The handler's documentation.</summary>
    public string? Doc { get; init; }

    /// <summary>The URL parameters, in the order the CLI takes them as positional arguments.</summary>
    public IReadOnlyList<string> Params { get; init; } = [];

    /// <summary>The absolute path template, e.g. <c>/MAAS/api/2.0/machines/{system_id}/</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary>The absolute URL template as seen by the server.</summary>
    public string? Uri { get; init; }

    /// <summary>The actions, sorted by name.</summary>
    public IReadOnlyList<MaasApiAction> Actions { get; init; } = [];
}

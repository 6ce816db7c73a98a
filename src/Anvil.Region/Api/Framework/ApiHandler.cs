namespace Anvil.Region.Api.Framework;

/// <summary>
/// A MAAS API handler: a class-like group of actions at one URI template, named as MAAS names it
/// (<c>MachinesHandler</c>, <c>AnonMachinesHandler</c>) because clients derive commands from the name.
/// </summary>
public sealed class ApiHandler
{
    public required string Name { get; init; }

    public required string Doc { get; init; }

    /// <summary>Path under <c>/MAAS/api/2.0/</c>, with <c>{param}</c> placeholders, e.g. <c>machines/{system_id}/</c>.</summary>
    public required string PathTemplate { get; init; }

    /// <summary>The placeholders of <see cref="PathTemplate"/>, in order.</summary>
    public required IReadOnlyList<string> PathParams { get; init; }

    /// <summary>Regex overrides for placeholders whose values may contain '/', e.g. a subnet CIDR.</summary>
    public IReadOnlyDictionary<string, string> PathParamPatterns { get; init; } = new Dictionary<string, string>();

    public required bool IsAnonymous { get; init; }

    /// <summary>Served but left out of describe/ (MAAS's <c>hidden = True</c>, e.g. removed VM-host endpoints).</summary>
    public bool IsHidden { get; init; }

    public required IReadOnlyList<ApiAction> Actions { get; init; }

    public ApiAction? Find(string method, string? op) =>
        Actions.FirstOrDefault(a => a.Method == method && a.Op == op);
}

/// <summary>A MAAS resource: the authenticated handler and, optionally, the anonymous one at the same path.</summary>
public sealed record ApiResource(string Name, ApiHandler? Auth, ApiHandler? Anon)
{
    public string PathTemplate => (Auth ?? Anon)!.PathTemplate;
}

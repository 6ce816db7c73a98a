namespace Anvil.Client.Description;

/// <summary>One action of a handler: a CRUD method or a named operation.</summary>
public sealed record MaasApiAction
{
    /// <summary>The op name, or <c>read</c>/<c>create</c>/<c>update</c>/<c>delete</c> for CRUD.</summary>
    public string Name { get; init; } = "";

    /// <summary>GET, POST, PUT or DELETE.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The <c>op</c> value to send, or null for CRUD.</summary>
    public string? Op { get; init; }

    /// <summary>True for CRUD actions (no op).</summary>
    public bool Restful { get; init; }

    /// <summary>The action's documentation, with <c>:param</c> lines for the parameters it takes.</summary>
    public string? Doc { get; init; }
}

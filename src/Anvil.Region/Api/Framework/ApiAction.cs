namespace Anvil.Region.Api.Framework;

/// <summary>Runs one action; returns what to answer, or throws an <c>AnvilException</c> to refuse.</summary>
public delegate Task<ApiResult> ApiInvoke(ApiRequest request);

/// <summary>One (HTTP method, op) of a handler, declared in one place: docs, parameters, access, errors and code.</summary>
public sealed class ApiAction
{
    public required string Method { get; init; }

    /// <summary>The <c>op</c> name, or null for the RESTful CRUD action of <see cref="Method"/>.</summary>
    public string? Op { get; init; }

    /// <summary>The op, or read/create/update/delete for CRUD actions (the CLI's action name).</summary>
    public string Name => Op ?? Method switch
    {
        "GET" => "read",
        "POST" => "create",
        "PUT" => "update",
        "DELETE" => "delete",
        _ => throw new InvalidOperationException($"No CRUD name for {Method}."),
    };

    public bool Restful => Op is null;

    /// <summary>First line is the title; the rest is the description.</summary>
    public required string Doc { get; init; }

    public ApiAccess Access { get; init; } = ApiAccess.Authenticated;

    public IReadOnlyList<ApiParam> Params { get; init; } = [];

    public IReadOnlyList<ApiError> Errors { get; init; } = [];

    public required ApiInvoke Invoke { get; init; }
}

namespace Anvil.Region.Api.Framework;

/// <summary>Something an action declares about itself: a parameter or an error it can answer with.</summary>
public abstract record ApiSpecItem;

/// <summary>
/// A declared parameter. The dispatcher checks presence of required ones and parses the type,
/// answering 400 with MAAS-style field errors, before the action runs; describe/ and OpenAPI
/// are generated from the same declaration.
/// </summary>
public sealed record ApiParam(string Name, ApiParamType Type, string Doc, bool Required = false, bool Repeatable = false) : ApiSpecItem
{
    public static ApiParam String(string name, string doc, bool required = false) => new(name, ApiParamType.String, doc, required);

    public static ApiParam Strings(string name, string doc, bool required = false) => new(name, ApiParamType.String, doc, required, Repeatable: true);

    public static ApiParam Int(string name, string doc, bool required = false) => new(name, ApiParamType.Int, doc, required);

    public static ApiParam Float(string name, string doc, bool required = false) => new(name, ApiParamType.Float, doc, required);

    public static ApiParam Bool(string name, string doc, bool required = false) => new(name, ApiParamType.Bool, doc, required);

    public static ApiParam File(string name, string doc, bool required = false) => new(name, ApiParamType.File, doc, required);
}

/// <summary>A documented error response: the status and when it happens.</summary>
public sealed record ApiError(int Status, string When) : ApiSpecItem
{
    public static ApiError NotFound(string when) => new(404, when);

    public static ApiError Forbidden(string when) => new(403, when);

    public static ApiError Conflict(string when) => new(409, when);

    public static ApiError BadRequest(string when) => new(400, when);

    public static ApiError Unavailable(string when) => new(503, when);
}

namespace Anvil.Region.Api.Framework;

/// <summary>Declares the actions of one handler. Each call declares one (method, op).</summary>
public sealed class ApiHandlerBuilder
{
    private readonly List<ApiAction> _actions = [];
    private readonly Dictionary<string, string> _pathPatterns = [];
    private bool _hidden;

    internal ApiHandlerBuilder(string name, string pathTemplate, string doc, bool anonymous)
    {
        Name = name;
        PathTemplate = pathTemplate;
        Doc = doc;
        Anonymous = anonymous;
    }

    internal string Name { get; }

    internal string PathTemplate { get; }

    internal string Doc { get; }

    internal bool Anonymous { get; }

    /// <summary>Lets a placeholder match more than one path segment, e.g. <c>subnets/10.0.0.0/24/</c>.</summary>
    public ApiHandlerBuilder PathParamPattern(string param, string regex)
    {
        _pathPatterns[param] = regex;
        return this;
    }

    /// <summary>Serves the handler but leaves it out of describe/.</summary>
    public ApiHandlerBuilder Hidden()
    {
        _hidden = true;
        return this;
    }

    public ApiHandlerBuilder Read(ApiInvoke invoke, string doc, params ApiSpecItem[] spec) => Action("GET", null, invoke, doc, DefaultAccess, spec);

    public ApiHandlerBuilder Read(ApiInvoke invoke, string doc, ApiAccess access, params ApiSpecItem[] spec) => Action("GET", null, invoke, doc, access, spec);

    public ApiHandlerBuilder Create(ApiInvoke invoke, string doc, params ApiSpecItem[] spec) => Action("POST", null, invoke, doc, DefaultAccess, spec);

    public ApiHandlerBuilder Create(ApiInvoke invoke, string doc, ApiAccess access, params ApiSpecItem[] spec) => Action("POST", null, invoke, doc, access, spec);

    public ApiHandlerBuilder Update(ApiInvoke invoke, string doc, params ApiSpecItem[] spec) => Action("PUT", null, invoke, doc, DefaultAccess, spec);

    public ApiHandlerBuilder Update(ApiInvoke invoke, string doc, ApiAccess access, params ApiSpecItem[] spec) => Action("PUT", null, invoke, doc, access, spec);

    public ApiHandlerBuilder Delete(ApiInvoke invoke, string doc, params ApiSpecItem[] spec) => Action("DELETE", null, invoke, doc, DefaultAccess, spec);

    public ApiHandlerBuilder Delete(ApiInvoke invoke, string doc, ApiAccess access, params ApiSpecItem[] spec) => Action("DELETE", null, invoke, doc, access, spec);

    /// <summary>An idempotent op, exported on GET (MAAS <c>@operation(idempotent=True)</c>).</summary>
    public ApiHandlerBuilder Get(string op, ApiInvoke invoke, string doc, params ApiSpecItem[] spec) => Action("GET", op, invoke, doc, DefaultAccess, spec);

    public ApiHandlerBuilder Get(string op, ApiInvoke invoke, string doc, ApiAccess access, params ApiSpecItem[] spec) => Action("GET", op, invoke, doc, access, spec);

    /// <summary>A non-idempotent op, exported on POST.</summary>
    public ApiHandlerBuilder Post(string op, ApiInvoke invoke, string doc, params ApiSpecItem[] spec) => Action("POST", op, invoke, doc, DefaultAccess, spec);

    public ApiHandlerBuilder Post(string op, ApiInvoke invoke, string doc, ApiAccess access, params ApiSpecItem[] spec) => Action("POST", op, invoke, doc, access, spec);

    private ApiAccess DefaultAccess => Anonymous ? ApiAccess.Anonymous : ApiAccess.Authenticated;

    private ApiHandlerBuilder Action(string method, string? op, ApiInvoke invoke, string doc, ApiAccess access, ApiSpecItem[] spec)
    {
        if (_actions.Any(a => a.Method == method && a.Op == op))
            throw new InvalidOperationException($"{Name}: {method} op={op} is declared twice.");
        if (Anonymous != (access == ApiAccess.Anonymous))
            throw new InvalidOperationException($"{Name}: anonymous handlers hold anonymous actions only, and only they do.");
        // A form parameter may share a path parameter's name: MAAS renames zones and tags with
        // PUT zones/{name}/ name=<new>. Handlers read the two apart (Path(name) vs String(name)).
        var parameters = spec.OfType<ApiParam>().ToList();
        _actions.Add(new ApiAction
        {
            Method = method,
            Op = op,
            Doc = doc,
            Access = access,
            Params = parameters,
            Errors = spec.OfType<ApiError>().ToList(),
            Invoke = invoke,
        });
        return this;
    }

    internal ApiHandler Build() => new()
    {
        Name = Name,
        Doc = Doc,
        PathTemplate = PathTemplate,
        PathParams = ApiCatalogBuilder.ParamsOf(PathTemplate),
        PathParamPatterns = new Dictionary<string, string>(_pathPatterns),
        IsAnonymous = Anonymous,
        IsHidden = _hidden,
        Actions = _actions.OrderBy(a => a.Name, StringComparer.Ordinal).ToList(),
    };
}

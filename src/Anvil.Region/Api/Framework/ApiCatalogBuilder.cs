using System.Text.RegularExpressions;

namespace Anvil.Region.Api.Framework;

/// <summary>Collects handler declarations (one call per MAAS handler class) into an <see cref="ApiCatalog"/>.</summary>
public sealed partial class ApiCatalogBuilder
{
    private readonly List<ApiHandlerBuilder> _handlers = [];

    /// <summary>An authenticated handler, e.g. <c>Handler("ZonesHandler", "zones/", "Manage zones.")</c>.</summary>
    public ApiHandlerBuilder Handler(string name, string pathTemplate, string doc) => Add(name, pathTemplate, doc, anonymous: false);

    /// <summary>The anonymous variant served at the same path when a request carries no credentials.</summary>
    public ApiHandlerBuilder AnonHandler(string name, string pathTemplate, string doc) => Add(name, pathTemplate, doc, anonymous: true);

    private ApiHandlerBuilder Add(string name, string pathTemplate, string doc, bool anonymous)
    {
        if (pathTemplate.StartsWith('/'))
            throw new ArgumentException($"Handler {name}: path '{pathTemplate}' must be relative to /MAAS/api/2.0/.", nameof(pathTemplate));
        if (_handlers.Any(h => h.Name == name))
            throw new ArgumentException($"Handler {name} is declared twice.", nameof(name));
        var builder = new ApiHandlerBuilder(name, pathTemplate, doc, anonymous);
        _handlers.Add(builder);
        return builder;
    }

    public ApiCatalog Build()
    {
        var resources = new List<ApiResource>();
        foreach (var group in _handlers.GroupBy(h => h.PathTemplate))
        {
            var auth = group.Where(h => !h.Anonymous).ToList();
            var anon = group.Where(h => h.Anonymous).ToList();
            if (auth.Count > 1 || anon.Count > 1)
                throw new InvalidOperationException($"Path {group.Key} has more than one handler of a kind.");
            var authHandler = auth.SingleOrDefault()?.Build();
            var anonHandler = anon.SingleOrDefault()?.Build();
            resources.Add(new ApiResource((authHandler ?? anonHandler)!.Name, authHandler, anonHandler));
        }

        return new ApiCatalog(resources.OrderBy(r => r.Name, StringComparer.Ordinal).ToList());
    }

    internal static IReadOnlyList<string> ParamsOf(string pathTemplate) =>
        PlaceholderRegex().Matches(pathTemplate).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    internal static partial Regex PlaceholderRegex();
}

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Resolves a path relative to <c>/MAAS/api/2.0/</c> to a resource. Routes are bucketed by their
/// first literal segment so a request tries only the handful of routes that can match it.
/// </summary>
internal sealed class ApiRouter
{
    private readonly Dictionary<string, ApiRoute[]> _byFirstSegment;
    private readonly ApiRoute[] _placeholderFirst;

    public ApiRouter(ApiCatalog catalog)
    {
        var routes = catalog.Resources.SelectMany(ApiRoute.For).ToList();
        routes.Sort();
        _byFirstSegment = routes
            .Where(r => r.FirstLiteralSegment is not null)
            .GroupBy(r => r.FirstLiteralSegment!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _placeholderFirst = routes.Where(r => r.FirstLiteralSegment is null).ToArray();
    }

    public ApiRouteMatch? Match(string relativePath)
    {
        var slash = relativePath.IndexOf('/');
        var first = slash < 0 ? relativePath : relativePath[..slash];
        if (_byFirstSegment.TryGetValue(first, out var candidates))
        {
            foreach (var route in candidates)
            {
                if (route.Match(relativePath) is { } match)
                    return match;
            }
        }

        foreach (var route in _placeholderFirst)
        {
            if (route.Match(relativePath) is { } match)
                return match;
        }

        return null;
    }
}

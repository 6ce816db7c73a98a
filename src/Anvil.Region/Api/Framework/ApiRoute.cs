using System.Text;
using System.Text.RegularExpressions;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// One compiled path of a resource: the template itself, or its <c>…/op-&lt;name&gt;</c> variant.
/// Routes order themselves so that, segment by segment, a literal beats an op suffix, which beats
/// a placeholder, which beats a placeholder with a custom (possibly multi-segment) pattern.
/// </summary>
internal sealed class ApiRoute : IComparable<ApiRoute>
{
    private const string OpGroup = "_op_";
    private const int LiteralRank = 0;
    private const int OpRank = 1;
    private const int PlaceholderRank = 2;
    private const int PatternRank = 3;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex _regex;
    private readonly int[] _ranks;

    private ApiRoute(ApiResource resource, string template, bool isOpVariant, Regex regex, int[] ranks)
    {
        Resource = resource;
        Template = template;
        IsOpVariant = isOpVariant;
        _regex = regex;
        _ranks = ranks;
    }

    public ApiResource Resource { get; }

    public string Template { get; }

    public bool IsOpVariant { get; }

    /// <summary>The first path segment when it is literal (used to bucket routes), else null.</summary>
    public string? FirstLiteralSegment => Template.Split('/')[0] is var first && !first.Contains('{') ? first : null;

    /// <summary>The template and, when it ends in '/', its op variant (no trailing slash).</summary>
    public static IEnumerable<ApiRoute> For(ApiResource resource)
    {
        var template = resource.PathTemplate;
        var patterns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var handler in new[] { resource.Anon, resource.Auth })
        {
            foreach (var (name, pattern) in handler?.PathParamPatterns ?? new Dictionary<string, string>())
                patterns[name] = pattern;
        }

        yield return Compile(resource, template, patterns, isOpVariant: false);
        if (template.EndsWith('/'))
            yield return Compile(resource, template, patterns, isOpVariant: true);
    }

    public ApiRouteMatch? Match(string relativePath)
    {
        System.Text.RegularExpressions.Match match;
        try
        {
            match = _regex.Match(relativePath);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }

        if (!match.Success)
            return null;
        var route = new Dictionary<string, string>(StringComparer.Ordinal);
        string? op = null;
        foreach (Group group in match.Groups)
        {
            if (!group.Success || int.TryParse(group.Name, out _))
                continue;
            if (group.Name == OpGroup)
                op = group.Value;
            else
                route[group.Name] = UnescapeSlashes(group.Value);
        }

        return new ApiRouteMatch(Resource, route, op);
    }

    public int CompareTo(ApiRoute? other)
    {
        if (other is null)
            return -1;
        for (var i = 0; i < Math.Min(_ranks.Length, other._ranks.Length); i++)
        {
            if (_ranks[i] != other._ranks[i])
                return _ranks[i].CompareTo(other._ranks[i]);
        }

        if (_ranks.Length != other._ranks.Length)
            return other._ranks.Length.CompareTo(_ranks.Length);
        var byTemplate = string.CompareOrdinal(Template, other.Template);
        return byTemplate != 0 ? byTemplate : IsOpVariant.CompareTo(other.IsOpVariant);
    }

    // ASP.NET decodes the path except for %2F; path values such as a subnet CIDR may arrive encoded.
    private static string UnescapeSlashes(string value) =>
        value.Contains('%') ? value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : value;

    private static ApiRoute Compile(ApiResource resource, string template, Dictionary<string, string> patterns, bool isOpVariant)
    {
        var body = template;
        var regex = new StringBuilder("^");
        var position = 0;
        foreach (System.Text.RegularExpressions.Match placeholder in ApiCatalogBuilder.PlaceholderRegex().Matches(body))
        {
            regex.Append(Regex.Escape(body[position..placeholder.Index]));
            var name = placeholder.Groups[1].Value;
            var pattern = patterns.TryGetValue(name, out var custom) ? custom : "[^/]+";
            regex.Append("(?<").Append(name).Append('>').Append(pattern).Append(')');
            position = placeholder.Index + placeholder.Length;
        }

        regex.Append(Regex.Escape(body[position..]));
        if (isOpVariant)
            regex.Append("op-(?<").Append(OpGroup).Append(">[^/]+)");
        regex.Append('$');

        Regex compiled;
        try
        {
            compiled = new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{resource.Name}: path '{template}' does not compile to a valid regex ({e.Message}); check its PathParamPattern.", e);
        }

        var segments = template.Split('/');
        var ranks = new List<int>();
        foreach (var segment in segments.Take(isOpVariant ? segments.Length - 1 : segments.Length))
            ranks.Add(RankOf(segment, patterns));
        if (isOpVariant)
            ranks.Add(OpRank);
        return new ApiRoute(resource, template, isOpVariant, compiled, ranks.ToArray());
    }

    private static int RankOf(string segment, Dictionary<string, string> patterns)
    {
        var placeholders = ApiCatalogBuilder.PlaceholderRegex().Matches(segment);
        if (placeholders.Count == 0)
            return LiteralRank;
        return placeholders.Any(p => patterns.ContainsKey(p.Groups[1].Value)) ? PatternRank : PlaceholderRank;
    }
}

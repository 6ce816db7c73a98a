namespace Anvil.Domain.Allocation;

/// <summary>How one specifier combines with the ones before it (MAAS's <c>|</c>, <c>&amp;</c>, <c>!</c>/<c>not_</c> prefixes).</summary>
internal enum SpecifierOp
{
    Or,
    And,
    AndNot,
}

/// <summary>A bad specifier; the form turns it into a field error.</summary>
internal sealed class SpecifierException(string message) : Exception(message);

/// <summary>
/// A compiled MAAS specifier list such as <c>name:foo</c> or <c>vid:10,space:dmz</c>: terms folded
/// left to right, starting from "everything" the way an empty Django Q() combines.
/// </summary>
internal sealed class SpecifierExpression<T>(IReadOnlyList<(SpecifierOp Op, Func<T, bool> Test)> terms)
{
    public bool Matches(T item)
    {
        bool? result = null;
        foreach (var (op, test) in terms)
        {
            var value = test(item);
            result = op switch
            {
                SpecifierOp.Or => result is null ? value : result.Value || value,
                SpecifierOp.And => result is null ? value : result.Value && value,
                _ => result is null ? !value : result.Value && !value,
            };
        }
        return result ?? true;
    }
}

internal static class Specifiers
{
    public const int MaxDepth = 8;

    /// <summary>A specifier string as MAAS splits it: comma-separated parts, all AND-ed.</summary>
    public static IEnumerable<string> SplitAnded(string specifiers) =>
        specifiers.Split(',').Select(s => "&" + s.Trim());

    public static (string Item, SpecifierOp Op) ParseOperation(string specifier)
    {
        var s = specifier.Trim();
        if (s.StartsWith('|'))
            return (s[1..], SpecifierOp.Or);
        if (s.StartsWith('&'))
            return (s[1..], SpecifierOp.And);
        if (s.StartsWith("not_", StringComparison.Ordinal))
            return (s[4..], SpecifierOp.AndNot);
        if (s.StartsWith('!'))
            return (s[1..], SpecifierOp.AndNot);
        return (s, SpecifierOp.Or);
    }

    public static (string Value, string? Type) ParseType(string item, IReadOnlySet<string> types)
    {
        var colon = item.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && types.Contains(item[..colon]))
            return (item[(colon + 1)..].Trim(), item[..colon]);
        return (item, null);
    }

    public static SpecifierExpression<T> Compile<T>(
        IEnumerable<string> specifiers,
        IReadOnlySet<string> types,
        Func<string?, string, Func<T, bool>> term)
    {
        var terms = new List<(SpecifierOp, Func<T, bool>)>();
        foreach (var specifier in specifiers)
        {
            var (item, op) = ParseOperation(specifier);
            var (value, type) = ParseType(item, types);
            terms.Add((op, term(type, value)));
        }
        return new SpecifierExpression<T>(terms);
    }

    public static long ParseId(string value, string what) =>
        NumberText.TryParseInteger(value, out var id) ? id : throw new SpecifierException($"{what} ID must be numeric.");

    public static int ParseVid(string value)
    {
        long vid;
        if (value.Trim().Equals("untagged", StringComparison.OrdinalIgnoreCase))
            vid = 0;
        else if (!NumberText.TryParseInteger(value, out vid))
            throw new SpecifierException($"Invalid VLAN tag (VID): '{value}'.");
        if (vid is < 0 or >= 0xFFF)
            throw new SpecifierException("VLAN tag (VID) out of range (0-4094; 0 for untagged.)");
        return (int)vid;
    }
}

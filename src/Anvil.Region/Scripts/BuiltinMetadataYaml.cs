namespace Anvil.Region.Scripts;

/// <summary>
/// A small reader for the YAML subset the built-in scripts' metadata uses: block mappings by
/// indentation, block lists of scalars (<c>- x</c>), flow lists of scalars (<c>[a, b]</c>), empty
/// <c>{}</c>, and plain or quoted scalars. Results are nested
/// <c>Dictionary&lt;string, object?&gt;</c>, <c>List&lt;object?&gt;</c> and <c>string</c>.
/// Stands in until the scripts API's metadata parser is merged; only Anvil's own files go through it.
/// </summary>
internal static class BuiltinMetadataYaml
{
    public const string StartMarker = "--- Start MAAS 1.0 script metadata ---";
    public const string EndMarker = "--- End MAAS 1.0 script metadata ---";

    /// <summary>The metadata block of a script (comment markers removed), parsed.</summary>
    public static Dictionary<string, object?> ReadScript(string script)
    {
        var lines = script.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains(StartMarker, StringComparison.Ordinal));
        var end = Array.FindIndex(lines, l => l.Contains(EndMarker, StringComparison.Ordinal));
        if (start < 0 || end < start)
            throw new FormatException("The script has no MAAS 1.0 metadata block.");
        var prefix = lines[start][..lines[start].IndexOf(StartMarker, StringComparison.Ordinal)];
        var body = lines[(start + 1)..end]
            .Select(l => l.TrimEnd('\r'))
            .Select(l => l.StartsWith(prefix, StringComparison.Ordinal) ? l[prefix.Length..] : l.TrimStart('#', ' '))
            .ToList();
        return Parse(body);
    }

    public static Dictionary<string, object?> Parse(IReadOnlyList<string> lines)
    {
        var meaningful = lines.Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        var position = 0;
        var result = ReadBlock(meaningful, ref position, Indent(meaningful.FirstOrDefault() ?? ""));
        if (position < meaningful.Count)
            throw new FormatException($"Unexpected indentation at \"{meaningful[position].Trim()}\".");
        return result as Dictionary<string, object?> ?? throw new FormatException("The metadata is not a mapping.");
    }

    private static object ReadBlock(List<string> lines, ref int position, int indent)
    {
        if (position < lines.Count && lines[position].TrimStart().StartsWith("- ", StringComparison.Ordinal))
        {
            var list = new List<object?>();
            while (position < lines.Count && Indent(lines[position]) == indent && lines[position].TrimStart().StartsWith("- ", StringComparison.Ordinal))
            {
                list.Add(Scalar(lines[position].TrimStart()[2..].Trim()));
                position++;
            }

            return list;
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (position < lines.Count && Indent(lines[position]) == indent)
        {
            var line = lines[position].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                throw new FormatException($"Expected \"key: value\" at \"{line}\".");
            var key = Unquote(line[..colon].Trim());
            var value = line[(colon + 1)..].Trim();
            position++;
            if (value.Length > 0)
            {
                map[key] = Value(value);
            }
            else if (position < lines.Count && Indent(lines[position]) > indent)
            {
                map[key] = ReadBlock(lines, ref position, Indent(lines[position]));
            }
            else
            {
                map[key] = null;
            }
        }

        return map;
    }

    private static object? Value(string text)
    {
        if (text == "{}")
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            var inner = text[1..^1].Trim();
            return inner.Length == 0 ? new List<object?>() : inner.Split(',').Select(s => (object?)Scalar(s.Trim())).ToList();
        }

        return Scalar(text);
    }

    private static string? Scalar(string text) => text is "~" or "null" ? null : Unquote(text);

    private static string Unquote(string text) =>
        text.Length >= 2 && ((text[0] == '\'' && text[^1] == '\'') || (text[0] == '"' && text[^1] == '"'))
            ? text[0] == '\'' ? text[1..^1].Replace("''", "'", StringComparison.Ordinal) : text[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal)
            : text;

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}

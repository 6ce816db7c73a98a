namespace Anvil.Cli.Api;

/// <summary>Reads the bits of describe/ doc strings the CLI needs.</summary>
internal static class DocText
{
    /// <summary>The first paragraph on one line, used as the help description.</summary>
    public static string Title(string? doc)
    {
        var lines = (doc ?? "").Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).SkipWhile(l => l.Length == 0);
        return string.Join(" ", lines.TakeWhile(l => l.Length > 0));
    }

    /// <summary>
    /// True when the doc documents parameters with <c>:param</c> lines after its first paragraph;
    /// only such actions take key=value arguments, as in the maas CLI.
    /// </summary>
    public static bool DocumentsParameters(string? doc)
    {
        var lines = (doc ?? "").Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).SkipWhile(l => l.Length == 0);
        return lines.SkipWhile(l => l.Length > 0).Any(l => l.StartsWith(":param", StringComparison.Ordinal));
    }
}

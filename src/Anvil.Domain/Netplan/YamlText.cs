using System.Text;

namespace Anvil.Domain.Netplan;

/// <summary>
/// Writes a <see cref="YamlNode"/> tree as block YAML with two-space indents and sequences indented
/// under their key, the layout netplan's own examples use.
/// </summary>
internal static class YamlText
{
    private static readonly HashSet<string> YamlOneOneWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "yes", "n", "no", "true", "false", "on", "off", "null",
    };

    public static string Write(YamlMap root)
    {
        var text = new StringBuilder();
        WriteMap(text, root, 0);
        return text.ToString();
    }

    /// <summary>
    /// A string as a scalar that every YAML reader takes back as that same string. Plain only when
    /// it cannot be read as anything else: PyYAML (curtin reads the file with it) follows YAML 1.1,
    /// where <c>no</c> is false and a MAC like <c>10:20:30:40:50:59</c> is a base-60 integer, so
    /// anything with a colon, a reserved word or a number-like shape gets double quotes.
    /// </summary>
    public static string Scalar(string value)
    {
        if (IsPlainSafe(value))
            return value;
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\t': quoted.Append("\\t"); break;
                case < ' ' or '\u007f': quoted.Append($"\\x{(int)c:x2}"); break;
                default: quoted.Append(c); break;
            }
        }
        return quoted.Append('"').ToString();
    }

    private static bool IsPlainSafe(string value)
    {
        if (value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '-' or '_' or '+'))
            return false;
        if (char.IsAsciiLetter(value[0]))
            return !YamlOneOneWords.Contains(value);
        // A leading digit is a number unless it has a slash or two dots (an address or a CIDR).
        return char.IsAsciiDigit(value[0]) && (value.Contains('/', StringComparison.Ordinal) || value.Count(c => c == '.') >= 2);
    }

    private static void WriteMap(StringBuilder text, YamlMap map, int indent, bool firstLineIndented = true)
    {
        var first = true;
        foreach (var (key, value) in map.Entries)
        {
            if (!first || firstLineIndented)
                text.Append(' ', indent);
            first = false;
            text.Append(Scalar(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteValue(StringBuilder text, YamlNode value, int indent)
    {
        switch (value)
        {
            case YamlScalar scalar:
                text.Append(' ').Append(scalar.Text).Append('\n');
                break;
            case YamlMap { IsEmpty: true }:
                text.Append(" {}\n");
                break;
            case YamlMap nested:
                text.Append('\n');
                WriteMap(text, nested, indent + 2);
                break;
            case YamlSequence { Items.Count: 0 }:
                text.Append(" []\n");
                break;
            case YamlSequence sequence:
                text.Append('\n');
                WriteSequence(text, sequence, indent + 2);
                break;
            default:
                throw new InvalidOperationException($"Unknown YAML node {value.GetType().Name}.");
        }
    }

    private static void WriteSequence(StringBuilder text, YamlSequence sequence, int indent)
    {
        foreach (var item in sequence.Items)
        {
            text.Append(' ', indent).Append('-');
            switch (item)
            {
                case YamlScalar scalar:
                    text.Append(' ').Append(scalar.Text).Append('\n');
                    break;
                case YamlMap { IsEmpty: false } map:
                    // The first entry shares the dash's line; the rest line up under it.
                    text.Append(' ');
                    WriteMap(text, map, indent + 2, firstLineIndented: false);
                    break;
                default:
                    WriteValue(text, item, indent);
                    break;
            }
        }
    }
}

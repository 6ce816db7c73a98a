using System.Globalization;
using System.Text;

namespace Anvil.Domain.Allocation;

/// <summary>
/// Python's <c>repr</c>/<c>str</c> for the few shapes MAAS puts into its 409 text, so the message
/// reads the same as MAAS's.
/// </summary>
internal static class PythonRepr
{
    public static string String(string? value)
    {
        value ??= "";
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(value.Length + 2).Append(quote);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                default:
                    if (c == quote)
                        sb.Append('\\').Append(c);
                    else if (c < 0x20 || c == 0x7f)
                        sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }

    /// <summary><c>[('key', ['v1', 'v2']), ...]</c>.</summary>
    public static string KeyValueLists(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> pairs)
    {
        var items = pairs.Select(p => $"({String(p.Key)}, [{string.Join(", ", p.Value.Select(String))}])");
        return $"[{string.Join(", ", items)}]";
    }

    public static string Float(double value)
    {
        if (double.IsPositiveInfinity(value))
            return "inf";
        if (double.IsNegativeInfinity(value))
            return "-inf";
        if (Math.Floor(value) == value && Math.Abs(value) < 1e16)
            return value.ToString("0", CultureInfo.InvariantCulture) + ".0";
        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return text;
    }
}

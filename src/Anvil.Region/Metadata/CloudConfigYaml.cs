using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Anvil.Region.Metadata;

/// <summary>
/// Writes the small cloud-config documents the metadata server serves: nested maps of strings,
/// numbers and booleans in block style. Every string is double-quoted with JSON escapes, which
/// YAML reads back as the same string (no YAML 1.1 surprises with <c>no</c> or colons).
/// </summary>
internal static class CloudConfigYaml
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(IReadOnlyList<KeyValuePair<string, object>> document, string? header = "#cloud-config")
    {
        var text = new StringBuilder();
        if (header is not null)
            text.Append(header).Append('\n');
        WriteMap(text, document, 0);
        return text.ToString();
    }

    public static string Quote(string value) => JsonSerializer.Serialize(value, Quoting);

    private static bool IsPlainKey(string key) =>
        key.Length > 0 && char.IsAsciiLetter(key[0]) && key.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-');

    private static void WriteMap(StringBuilder text, IReadOnlyList<KeyValuePair<string, object>> map, int indent)
    {
        foreach (var (key, value) in map)
        {
            text.Append(' ', indent).Append(IsPlainKey(key) ? key : Quote(key)).Append(':');
            if (value is IReadOnlyList<KeyValuePair<string, object>> child)
            {
                text.Append('\n');
                WriteMap(text, child, indent + 2);
                continue;
            }

            text.Append(' ').Append(value switch
            {
                string s => Quote(s),
                bool b => b ? "true" : "false",
                int i => i.ToString(CultureInfo.InvariantCulture),
                long l => l.ToString(CultureInfo.InvariantCulture),
                _ => throw new ArgumentException($"Unsupported YAML value {value.GetType()}.", nameof(map)),
            }).Append('\n');
        }
    }
}

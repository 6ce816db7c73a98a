using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Anvil.Domain.Scripts;

/// <summary>
/// Finds the YAML between <c># --- Start MAAS 1.0 script metadata ---</c> and the matching End line
/// (leading <c>#</c> removed) and reads it into JSON values with YAML 1.1 scalar rules, as PyYAML's
/// safe_load does for MAAS (so <c>yes</c> is true, <c>300</c> a number, quoted text a string).
/// </summary>
internal static partial class ScriptMetadataYaml
{
    /// <summary>The metadata's YAML text, or null when the script has no 1.0 block; <paramref name="error"/> set on a line without '#'.</summary>
    public static string? Extract(string script, out string? error)
    {
        error = null;
        var lines = script.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var yaml = new StringBuilder();
        var inside = false;
        foreach (var line in lines.Skip(1))
        {
            var delimiter = DelimiterRegex().Match(line);
            if (delimiter.Success)
            {
                if (!inside && delimiter.Groups["version"].Value == "1.0")
                {
                    inside = true;
                    continue;
                }

                if (inside && delimiter.Groups["version"].Value == "1.0")
                    break;
            }
            else if (inside && line.Trim().Length > 0)
            {
                var hash = line.IndexOf('#', StringComparison.Ordinal);
                if (hash < 0)
                {
                    error = "Missing \"#\" on YAML line.";
                    return null;
                }

                yaml.Append(line.AsSpan(hash + 1)).Append('\n');
            }
        }

        return inside ? yaml.ToString() : null;
    }

    /// <summary>The YAML document as JSON (null for an empty document); throws <see cref="YamlException"/> when it is not YAML.</summary>
    public static JsonNode? Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(KeyText(c.Key), ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static string KeyText(YamlNode key) => key is YamlScalarNode s ? s.Value ?? "null" : key.ToString();

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
            return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
        }

        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (IntRegex().IsMatch(digits) && long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonNode.Parse(integer.ToString(CultureInfo.InvariantCulture));
        if (digits.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            return JsonNode.Parse(hex.ToString(CultureInfo.InvariantCulture));
        if (FloatRegex().IsMatch(digits) && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            return double.IsFinite(real) ? JsonNode.Parse(real.ToString("R", CultureInfo.InvariantCulture)) : JsonValue.Create(text);
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"\s*#\s*-+\s*(Start|End) MAAS (?<version>\d+\.\d+) script metadata\s+-+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelimiterRegex();

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntRegex();

    [GeneratedRegex(@"^[-+]?([0-9]+)?\.[0-9]*([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();
}

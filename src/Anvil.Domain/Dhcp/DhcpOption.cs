using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anvil.Domain.Dhcp;

/// <summary>
/// One option of a snippet as stored and as the rack applies it: <c>{code, name, type, value}</c>.
/// <c>value</c> is a JSON array of strings (ip-addresses, domain-list), a string (text, hex as
/// <c>aa:bb</c>), a number (integers) or a boolean.
/// </summary>
public sealed record DhcpOption(int Code, string Name, DhcpOptionType Type, JsonNode Value)
{
    /// <summary>The option as one ISC dhcpd statement, e.g. <c>option ntp-servers 10.0.0.1, 10.0.0.2;</c>.</summary>
    public string ToStatement() => $"option {Name} {FormatValue()};";

    private string FormatValue() => Type switch
    {
        DhcpOptionType.IpAddresses => string.Join(", ", Value.AsArray().Select(v => v!.GetValue<string>())),
        DhcpOptionType.DomainList => string.Join(", ", Value.AsArray().Select(v => Quote(v!.GetValue<string>()))),
        DhcpOptionType.Text => Quote(Value.GetValue<string>()),
        DhcpOptionType.Hex => Value.GetValue<string>(),
        DhcpOptionType.Boolean => Value.GetValue<bool>() ? "true" : "false",
        _ => Value.GetValue<long>().ToString(CultureInfo.InvariantCulture),
    };

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var ch in text)
        {
            if (ch is '"' or '\\')
                quoted.Append('\\');
            quoted.Append(ch);
        }

        return quoted.Append('"').ToString();
    }
}

/// <summary>A snippet's option list in the JSON form stored in <c>dhcpsnippet.options</c>.</summary>
public static class DhcpOptionsJson
{
    public static string Serialize(IReadOnlyList<DhcpOption> options)
    {
        var array = new JsonArray();
        foreach (var option in options)
        {
            array.Add(new JsonObject
            {
                ["code"] = option.Code,
                ["name"] = option.Name,
                ["type"] = DhcpOptionTypes.WireName(option.Type),
                ["value"] = option.Value.DeepClone(),
            });
        }

        return array.ToJsonString();
    }

    /// <summary>Reads stored options; the type comes from the catalog, so rows written by this region are always readable.</summary>
    public static IReadOnlyList<DhcpOption> Deserialize(string json)
    {
        var options = new List<DhcpOption>();
        foreach (var node in JsonNode.Parse(json)?.AsArray() ?? [])
        {
            var code = node!["code"]!.GetValue<int>();
            var definition = DhcpOptionCatalog.Find(code) ?? throw new JsonException($"Stored DHCP option {code} is not in the catalog.");
            options.Add(new DhcpOption(code, definition.Name, definition.Type, node["value"]!.DeepClone()));
        }

        return options;
    }

    /// <summary>The options as normalised ISC dhcpd text, one statement per line.</summary>
    public static string ToText(IReadOnlyList<DhcpOption> options) => string.Join("\n", options.Select(o => o.ToStatement()));
}

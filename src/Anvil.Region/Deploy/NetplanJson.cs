using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Anvil.Region.Deploy;

/// <summary>
/// The netplan document <see cref="Domain.Netplan.NetplanRenderer"/> writes, as JSON for the
/// install config. Plain scalars keep their YAML 1.2 core-schema type (booleans, integers),
/// quoted ones stay strings, so <c>dhcp4: true</c> stays a boolean and a quoted <c>"10"</c> a string.
/// </summary>
internal static class NetplanJson
{
    /// <summary>The value under the document's <c>network:</c> key.</summary>
    public static JsonNode FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return Convert(root.Children[new YamlScalarNode("network")])!;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Convert(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}."),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
            return JsonValue.Create(text);
        if (text is "true" or "false")
            return JsonValue.Create(text == "true");
        if (text is "null" or "~" or "")
            return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }
}

using System.Text.Json.Nodes;

namespace Anvil.Rack.Power.Redfish;

internal static class RedfishJson
{
    /// <summary>The string at <paramref name="node"/>, or null when it is missing or not a string (BMCs vary).</summary>
    public static string? Text(this JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

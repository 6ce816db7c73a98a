using System.Text.Json.Nodes;
using Anvil.Data.Scripts;

namespace Anvil.Region.Metadata;

/// <summary>
/// The parameters a result runs with when nobody gave values: each declared parameter with a
/// <c>value</c> added, its default, <c>all</c> for storage and interface parameters (the devices
/// are not known before commissioning), the script's timeout for a runtime parameter.
/// </summary>
/// <remarks>
/// MAAS expands storage and interface parameters into one result per device once commissioning
/// has found the devices; that expansion belongs with the scripts API and is not done here.
/// </remarks>
internal static class ScriptParameters
{
    public static JsonObject Defaults(ScriptRecord script)
    {
        var result = new JsonObject();
        if (JsonNode.Parse(script.Parameters) is not JsonObject declared)
            return result;
        foreach (var (name, declaration) in declared)
        {
            if (declaration is not JsonObject spec)
                continue;
            var copy = (JsonObject)spec.DeepClone();
            if (!copy.ContainsKey("value"))
            {
                var type = copy["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? copy["type"]!.GetValue<string>() : "";
                JsonNode? value = copy["default"]?.DeepClone() ?? type switch
                {
                    "storage" or "interface" => JsonValue.Create("all"),
                    "runtime" => JsonValue.Create(script.TimeoutSeconds),
                    _ => null,
                };
                if (value is not null)
                    copy["value"] = value;
            }

            result[name] = copy;
        }

        return result;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anvil.Domain.Scripts;

/// <summary>
/// The checks MAAS's ScriptForm and ParametersForm make on the structured metadata fields
/// (tags, for_hardware, packages, parameters, results), with MAAS's messages. Each returns the
/// cleaned value, or null after recording errors.
/// </summary>
internal static class ScriptMetadataValidation
{
    private static readonly string[] ParameterTypes = ["storage", "interface", "url", "runtime"];
    private static readonly string[] SnapChannels = ["stable", "edge", "beta", "candidate"];
    private static readonly string[] SnapModes = ["classic", "dev", "jail"];

    public static IReadOnlyList<string>? Tags(JsonNode? node, ScriptMetadataErrors errors)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return SplitTags(v.GetValue<string>());
            case JsonArray a when a.All(IsString):
                return a.Select(e => e!.GetValue<string>().Trim()).Where(t => t.Length > 0).ToList();
            default:
                errors.Add("tags", "Embedded tags must be a string of comma seperated values, or a list of strings.");
                return null;
        }
    }

    public static IReadOnlyList<string> SplitTags(string text) =>
        text.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0).ToList();

    public static IReadOnlyList<string>? ForHardwareList(JsonNode? node, ScriptMetadataErrors errors)
    {
        List<string> entries;
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                entries = [.. v.GetValue<string>().Split(',')];
                break;
            case JsonArray a when a.All(IsString):
                entries = [.. a.Select(e => e!.GetValue<string>())];
                break;
            default:
                errors.Add("for_hardware", "Must be a list or string");
                return null;
        }

        return CheckForHardware(entries, errors);
    }

    public static IReadOnlyList<string>? CheckForHardware(IReadOnlyList<string> entries, ScriptMetadataErrors errors)
    {
        var valid = true;
        foreach (var entry in entries)
        {
            if (!ForHardware.IsValidEntry(entry))
            {
                errors.Add("for_hardware", ForHardware.InvalidEntryMessage(entry));
                valid = false;
            }
        }

        return valid ? entries : null;
    }

    public static JsonObject? Packages(JsonNode? node, ScriptMetadataErrors errors)
    {
        if (node is null)
            return null;
        if (node is not JsonObject source)
        {
            errors.Add("packages", "Packages must be a dictionary.");
            return null;
        }

        var packages = (JsonObject)source.DeepClone();
        foreach (var key in new[] { "apt", "snap", "url" })
        {
            if (packages.TryGetPropertyValue(key, out var value) && value is not JsonArray)
                packages[key] = new JsonArray(value?.DeepClone());
        }

        foreach (var key in new[] { "apt", "url" })
        {
            if (packages[key] is JsonArray list && !list.All(IsString))
                errors.Add("packages", $"Each {key} package must be a string.");
        }

        if (packages["snap"] is JsonArray snaps)
        {
            foreach (var snap in snaps)
            {
                if (snap is JsonObject s)
                {
                    if (!IsString(s["name"]))
                        errors.Add("packages", "Snap package name must be defined.");
                    if (s.ContainsKey("channel") && !(IsString(s["channel"]) && SnapChannels.Contains(s["channel"]!.GetValue<string>())))
                        errors.Add("packages", "Snap channel must be stable, edge, beta, or candidate.");
                    if (s.ContainsKey("mode") && !(IsString(s["mode"]) && SnapModes.Contains(s["mode"]!.GetValue<string>())))
                        errors.Add("packages", "Snap mode must be classic, dev, or jail.");
                }
                else if (!IsString(snap))
                {
                    errors.Add("packages", "Snap package must be a string.");
                }
            }
        }

        return packages;
    }

    /// <summary>MAAS's ParametersForm.clean_parameters: each parameter's type and attributes.</summary>
    public static JsonObject Parameters(JsonNode? node, ScriptMetadataErrors errors)
    {
        if (node is not JsonObject parameters)
        {
            errors.Add("parameters", "Must be a dictionary");
            return [];
        }

        foreach (var (name, value) in parameters)
        {
            if (value is not JsonObject fields)
            {
                errors.Add("parameters", $"{name}: must be a dictionary");
                continue;
            }

            var type = fields["type"];
            var typeText = IsString(type) ? type!.GetValue<string>() : null;
            if (typeText is null)
                errors.Add("parameters", $"{Show(type)}: type must be a string");
            CheckKind(fields, "min", IsInteger, "must be an integer", errors);
            CheckKind(fields, "max", IsInteger, "must be an integer", errors);
            CheckKind(fields, "title", IsString, "must be a string", errors);
            CheckKind(fields, "description", IsString, "must be a string", errors);
            CheckKind(fields, "argument_format", IsString, "must be a string", errors);
            CheckKind(fields, "default", IsString, "must be a string", errors);
            CheckKind(fields, "required", IsBool, "must be a boolean", errors);
            CheckKind(fields, "allow_list", IsBool, "must be a boolean", errors);
            if (fields["allow_list"] is not null && typeText != "url")
                errors.Add("parameters", "allow_list only supported with the url type.");

            var required = fields["required"] is not JsonValue r || r.GetValueKind() != JsonValueKind.False;
            if (required && !ParameterTypes.Contains(typeText))
                errors.Add("parameters", $"{Show(type)}: type must be either storage, interface, url, or runtime");
            var min = IsInteger(fields["min"]) ? fields["min"]!.GetValue<long>() : (long?)null;
            var max = IsInteger(fields["max"]) ? fields["max"]!.GetValue<long>() : (long?)null;
            if (typeText is "storage" or "interface" or "url" && (fields["min"] is not null || fields["max"] is not null))
                errors.Add("parameters", "Type doesn't support min or max");
            if (typeText == "runtime" && min < 0)
                errors.Add("parameters", "runtime minimum must be greater than zero");
            if (min > max)
                errors.Add("parameters", "min must be less than max");
            if (IsString(fields["argument_format"]))
                CheckArgumentFormat(typeText, fields["argument_format"]!.GetValue<string>(), errors);
        }

        return (JsonObject)parameters.DeepClone();
    }

    /// <summary>MAAS's ScriptForm._validate_results: a list of strings, or a dictionary of <c>{title, description}</c>.</summary>
    public static JsonNode Results(JsonNode? node, ScriptMetadataErrors errors)
    {
        switch (node)
        {
            case JsonArray list:
                if (!list.All(IsString))
                    errors.Add("results", "Each result in a result list must be a string.");
                return list.DeepClone();
            case JsonObject map:
                foreach (var (_, result) in map)
                {
                    if (result is not JsonObject r)
                    {
                        errors.Add("results", "Each result in a result dictionary must be a dictionary.");
                    }
                    else if (!r.ContainsKey("title"))
                    {
                        errors.Add("results", "title must be included in a result dictionary.");
                    }
                    else
                    {
                        foreach (var key in new[] { "title", "description" })
                        {
                            if (r.ContainsKey(key) && !IsString(r[key]))
                                errors.Add("results", $"{key} must be a string.");
                        }
                    }
                }

                return map.DeepClone();
            default:
                errors.Add("results", "results must be a list of strings or a dictionary of dictionaries.");
                return new JsonObject();
        }
    }

    private static void CheckArgumentFormat(string? type, string format, ScriptMetadataErrors errors)
    {
        string[] placeholders = type switch
        {
            "storage" => ["{input}", "{name}", "{path}", "{model}", "{serial}"],
            "interface" => ["{input}", "{name}", "{mac}", "{vendor}", "{product}"],
            _ => ["{input}"],
        };
        if (!placeholders.Any(p => format.Contains(p, StringComparison.Ordinal)))
        {
            errors.Add("parameters", placeholders.Length == 1
                ? $"{type}: argument_format must contain {{input}}"
                : $"{type}: argument_format must contain one of {string.Join(", ", placeholders)}");
        }
    }

    private static void CheckKind(JsonObject fields, string key, Func<JsonNode?, bool> isKind, string message, ScriptMetadataErrors errors)
    {
        if (fields[key] is { } value && !isKind(value))
            errors.Add("parameters", $"{Show(value)}: {key} {message}");
    }

    private static string Show(JsonNode? node) => node switch
    {
        null => "None",
        JsonValue v => ScriptMetadata.ScalarText(v),
        _ => node.ToJsonString(),
    };

    private static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static bool IsBool(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    private static bool IsInteger(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out _);
}

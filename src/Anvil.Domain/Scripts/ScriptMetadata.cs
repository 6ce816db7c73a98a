using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anvil.Domain.Errors;
using YamlDotNet.Core;

namespace Anvil.Domain.Scripts;

/// <summary>
/// The metadata a script carries in its text (MAAS's embedded YAML, between
/// <c># --- Start MAAS 1.0 script metadata ---</c> and <c># --- End MAAS 1.0 script metadata ---</c>).
/// A null field was not given; <see cref="Defined"/> names the form fields the YAML sets, which a
/// form may not contradict.
/// </summary>
public sealed record ScriptMetadata
{
    /// <summary>Field names as MAAS's ScriptForm knows them.</summary>
    public static readonly IReadOnlyList<string> FormFields =
    [
        "name", "title", "description", "tags", "script_type", "hardware_type", "parallel", "timeout", "destructive",
        "for_hardware", "may_reboot", "recommission", "apply_configured_networking", "packages",
    ];

    /// <summary>Whether the script has a 1.0 metadata block holding a YAML mapping.</summary>
    public bool Embedded { get; init; }

    /// <summary>The form fields (<see cref="FormFields"/>) the YAML sets.</summary>
    public IReadOnlySet<string> Defined { get; init; } = new HashSet<string>();

    public string? Name { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public ScriptType? ScriptType { get; init; }

    public HardwareType? HardwareType { get; init; }

    public ScriptParallel? Parallel { get; init; }

    public TimeSpan? Timeout { get; init; }

    public bool? Destructive { get; init; }

    public bool? MayReboot { get; init; }

    public bool? Recommission { get; init; }

    public bool? ApplyConfiguredNetworking { get; init; }

    public IReadOnlyList<string>? ForHardware { get; init; }

    /// <summary><c>{"apt": [...], "snap": [...], "url": [...]}</c>, single values made lists.</summary>
    public JsonObject? Packages { get; init; }

    /// <summary>The parameters the script takes (<c>{"storage": {"type": "storage", ...}}</c>); empty when none.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>The results the script reports: a list of names or a dictionary of <c>{title, description}</c>.</summary>
    public JsonNode Results { get; init; } = new JsonObject();

    /// <summary>
    /// Reads a script's embedded metadata. Throws <see cref="ValidationException"/> with every
    /// field error (<c>script</c> for a missing shebang or bad YAML, else the field's name).
    /// A script without a block gives an empty, valid metadata.
    /// </summary>
    public static ScriptMetadata Parse(string scriptText)
    {
        ArgumentNullException.ThrowIfNull(scriptText);
        var errors = new ScriptMetadataErrors();
        var firstLine = scriptText.Split('\n', 2)[0];
        if (scriptText.Length > 0 && !firstLine.StartsWith("#!/", StringComparison.Ordinal))
            errors.Add("script", "Must start with shebang.");

        var yaml = ScriptMetadataYaml.Extract(scriptText, out var lineError);
        if (lineError is not null)
            errors.Add("script", lineError);
        JsonNode? document = null;
        if (yaml is not null)
        {
            try
            {
                document = ScriptMetadataYaml.Read(yaml);
            }
            catch (YamlException e)
            {
                errors.Add("script", $"Invalid YAML: {e.Message}");
            }
            catch (ArgumentException e)
            {
                // YamlDotNet's representation model throws this for events it cannot build a node from (e.g. a bare alias).
                errors.Add("script", $"Invalid YAML: {e.Message}");
            }
        }

        var metadata = document is JsonObject map ? FromMapping(map, errors) : new ScriptMetadata();
        errors.ThrowIfAny();
        return metadata;
    }

    private static ScriptMetadata FromMapping(JsonObject map, ScriptMetadataErrors errors)
    {
        var defined = FormFields.Where(map.ContainsKey).ToHashSet(StringComparer.Ordinal);
        return new ScriptMetadata
        {
            Embedded = true,
            Defined = defined,
            Name = Text(map, "name", errors),
            Title = Text(map, "title", errors),
            Description = Text(map, "description", errors),
            Tags = map.ContainsKey("tags") ? ScriptMetadataValidation.Tags(map["tags"], errors) : null,
            ScriptType = Convert(map, "script_type", errors, ScriptMetadataConversions.ParseScriptType),
            HardwareType = Convert(map, "hardware_type", errors, ScriptMetadataConversions.ParseHardwareType),
            Parallel = Convert(map, "parallel", errors, ScriptMetadataConversions.ParseParallel),
            Timeout = Convert(map, "timeout", errors, ScriptMetadataConversions.ParseDuration),
            Destructive = Flag(map, "destructive"),
            MayReboot = Flag(map, "may_reboot"),
            Recommission = Flag(map, "recommission"),
            ApplyConfiguredNetworking = Flag(map, "apply_configured_networking"),
            ForHardware = map.ContainsKey("for_hardware") ? ScriptMetadataValidation.ForHardwareList(map["for_hardware"], errors) : null,
            Packages = map.ContainsKey("packages") ? ScriptMetadataValidation.Packages(map["packages"], errors) : null,
            Parameters = map.ContainsKey("parameters") ? ScriptMetadataValidation.Parameters(map["parameters"], errors) : [],
            Results = map.ContainsKey("results") ? ScriptMetadataValidation.Results(map["results"], errors) : new JsonObject(),
        };
    }

    private static string? Text(JsonObject map, string key, ScriptMetadataErrors errors)
    {
        if (!map.TryGetPropertyValue(key, out var node) || node is null)
            return null;
        if (node is JsonValue value)
            return ScalarText(value);
        errors.Add(key, "Enter a valid value.");
        return null;
    }

    private static T? Convert<T>(JsonObject map, string key, ScriptMetadataErrors errors, Func<string, string, T> parse)
        where T : struct
    {
        if (!map.TryGetPropertyValue(key, out var node) || node is null)
            return null;
        if (node is not JsonValue value)
        {
            errors.Add(key, "Enter a valid value.");
            return null;
        }

        try
        {
            return parse(key, ScalarText(value));
        }
        catch (ValidationException e)
        {
            errors.Add(e);
            return null;
        }
    }

    /// <summary>Django's BooleanField: <c>false</c>/<c>0</c>/empty are false, any other value true.</summary>
    private static bool? Flag(JsonObject map, string key)
    {
        if (!map.TryGetPropertyValue(key, out var node) || node is null)
            return null;
        return node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
            JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>() != 0,
            JsonValue v => ScalarText(v).Trim().ToLowerInvariant() is not ("" or "false" or "0"),
            JsonObject o => o.Count > 0,
            JsonArray a => a.Count > 0,
            _ => false,
        };
    }

    internal static string ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture) : value.GetValue<double>().ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };
}

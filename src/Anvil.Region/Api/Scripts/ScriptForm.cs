using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Scripts;

/// <summary>
/// MAAS's ScriptForm: the submitted fields merged with the metadata embedded in the uploaded
/// script. A field the YAML sets is taken from it when the form leaves it out, and the form may
/// not contradict it ("May not override values defined in embedded YAML."); tags and timeout come
/// from the YAML only when a script is created, so an updated upstream script keeps local choices.
/// </summary>
internal sealed class ScriptForm
{
    private static readonly string[] DefaultEditable = ["tags", "timeout"];

    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);

    private ScriptForm()
    {
    }

    /// <summary>The script's text as uploaded (CRLF made LF), when one was.</summary>
    public string? Text { get; private set; }

    public string Comment { get; private set; } = "";

    /// <summary>The record to write: the current script (or a new one's defaults) with the form and YAML applied.</summary>
    public ScriptRecord Script { get; private set; } = new();

    /// <summary>Reads and checks the form; throws <see cref="ValidationException"/> with every field error.</summary>
    public static ScriptForm Read(ApiRequest request, ScriptRecord? current)
    {
        var form = new ScriptForm();
        var errors = new FieldErrors();
        form.Collect(request);
        var creating = current is null;
        var metadata = form.ApplyMetadata(creating, errors);

        if (creating && form.Text is null)
            errors.Add("script", ApiParamValidator.RequiredMessage);
        if (form.Has("comment") && form.Text is null)
            errors.Add("comment", "\"comment\" may only be used when specifying a \"script\" as well.");
        if (current is { IsDefault: true })
        {
            foreach (var field in form._data.Keys.Where(k => k != "comment" && !DefaultEditable.Contains(k)))
                errors.Add(field, "Not allowed to change on default scripts.");
            if (form.Text is not null)
                errors.Add("script", "Not allowed to change on default scripts.");
        }

        form.Script = form.Build(current?.Copy() ?? new ScriptRecord { ScriptType = ScriptType.Testing }, metadata, errors);
        if (form.Script.Name.Length == 0)
            errors.Add("name", ApiParamValidator.RequiredMessage);
        else if (creating || form.Script.Name != current!.Name)
            CheckName(form.Script.Name, errors);
        errors.ThrowIfAny();
        return form;
    }

    private bool Has(string field) => _data.ContainsKey(field);

    private void Collect(ApiRequest request)
    {
        foreach (var field in ScriptMetadata.FormFields.Append("comment"))
        {
            if (request.Has(field) && request.String(field) is { } value)
                _data[field] = value;
        }

        // MAAS names the field script_type and accepts type as its API spelling.
        if (request.String("type") is { } type && !_data.ContainsKey("script_type"))
            _data["script_type"] = type;

        var file = request.Form.GetFile("script");
        if (file is null && request.Form.Files.Count == 1)
        {
            // The single-file form: the part's name is the script's name.
            file = request.Form.Files.First();
            _data["name"] = file.Name;
        }

        var text = file is not null ? Encoding.UTF8.GetString(file.Content) : request.String("script");
        Text = text?.Replace("\r\n", "\n", StringComparison.Ordinal);
        Comment = request.String("comment") ?? "";
    }

    private ScriptMetadata? ApplyMetadata(bool creating, FieldErrors errors)
    {
        if (Text is null)
            return null;
        ScriptMetadata metadata;
        try
        {
            metadata = ScriptMetadata.Parse(Text);
        }
        catch (ValidationException e)
        {
            Merge(errors, e);
            return null;
        }

        // Tags, timeout, packages and for_hardware from the YAML only fill gaps; the rest must agree with the form.
        foreach (var field in metadata.Defined.Where(f => f is not ("tags" or "timeout" or "packages" or "for_hardware")))
        {
            if (Has(field) && !SameValue(field, _data[field], metadata))
                errors.Add(field, "May not override values defined in embedded YAML.");
        }

        return metadata;
    }

    private ScriptRecord Build(ScriptRecord script, ScriptMetadata? yaml, FieldErrors errors)
    {
        var creating = script.Id == 0;
        string? Field(string name) => _data.TryGetValue(name, out var v) ? v : null;

        script.Name = (Field("name") is { Length: > 0 } name ? name : yaml?.Name ?? script.Name).Trim();
        script.Title = Field("title") ?? yaml?.Title ?? script.Title;
        script.Description = Field("description") ?? yaml?.Description ?? script.Description;
        if (Field("tags") is { } tags)
            script.Tags = [.. tags.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0).Distinct()];
        else if (creating && yaml?.Tags is { } yamlTags)
            script.Tags = [.. yamlTags.Distinct()];

        errors.Try(() => script.ScriptType = Field("script_type") is { Length: > 0 } t
            ? ScriptMetadataConversions.ParseScriptType("script_type", t)
            : yaml?.ScriptType ?? script.ScriptType);
        errors.Try(() => script.HardwareType = Field("hardware_type") is { Length: > 0 } h
            ? ScriptMetadataConversions.ParseHardwareType("hardware_type", h)
            : yaml?.HardwareType ?? script.HardwareType);
        errors.Try(() => script.Parallel = Field("parallel") is { Length: > 0 } p
            ? ScriptMetadataConversions.ParseParallel("parallel", p)
            : yaml?.Parallel ?? script.Parallel);
        errors.Try(() => script.TimeoutSeconds = Field("timeout") is { Length: > 0 } timeout
            ? (int)ScriptMetadataConversions.ParseDuration("timeout", timeout).TotalSeconds
            : creating && yaml?.Timeout is { } yamlTimeout ? (int)yamlTimeout.TotalSeconds : script.TimeoutSeconds);

        script.Destructive = Flag("destructive") ?? yaml?.Destructive ?? script.Destructive;
        script.MayReboot = Flag("may_reboot") ?? yaml?.MayReboot ?? script.MayReboot;
        script.Recommission = Flag("recommission") ?? yaml?.Recommission ?? script.Recommission;
        script.ApplyConfiguredNetworking = Flag("apply_configured_networking") ?? yaml?.ApplyConfiguredNetworking ?? script.ApplyConfiguredNetworking;

        if (Field("for_hardware") is { Length: > 0 } forHardware)
        {
            var list = ForHardware.ParseList(forHardware, out var listError);
            if (listError is not null)
                errors.Add("for_hardware", listError);
            foreach (var entry in list ?? [])
            {
                if (!ForHardware.IsValidEntry(entry))
                    errors.Add("for_hardware", ForHardware.InvalidEntryMessage(entry));
            }

            script.ForHardware = [.. list ?? []];
        }
        else if (yaml?.ForHardware is { } yamlHardware)
        {
            script.ForHardware = [.. yamlHardware];
        }

        if (Field("packages") is { Length: > 0 } packages)
            script.Packages = PackagesJson(packages, errors) ?? script.Packages;
        else if (yaml?.Packages is { } yamlPackages)
            script.Packages = yamlPackages.ToJsonString();

        if (yaml is { Embedded: true })
        {
            script.Parameters = yaml.Parameters.ToJsonString();
            script.Results = yaml.Results.ToJsonString();
        }
        else if (Text is not null && creating)
        {
            (script.Parameters, script.Results) = ("{}", "{}");
        }

        script.Tags = AutoTags(script);
        return script;
    }

    /// <summary>MAAS's Script.save: the <c>destructive</c> tag follows the flag, and the hardware type's label is always a tag.</summary>
    internal static string[] AutoTags(ScriptRecord script)
    {
        var tags = script.Tags.Distinct().ToList();
        Follow(tags, "destructive", script.Destructive);
        foreach (var type in Enum.GetValues<HardwareType>())
            Follow(tags, ScriptMetadataConversions.Label(type).ToLowerInvariant(), type == script.HardwareType);
        return [.. tags];
    }

    /// <summary>Adds the tag at the end when it should be there and is not; removes it when it should not.</summary>
    private static void Follow(List<string> tags, string tag, bool present)
    {
        if (!present)
            tags.Remove(tag);
        else if (!tags.Contains(tag))
            tags.Add(tag);
    }

    private bool? Flag(string field) =>
        _data.TryGetValue(field, out var value) ? value.Trim().ToLowerInvariant() is not ("" or "false" or "0") : null;

    private static string? PackagesJson(string text, FieldErrors errors)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            errors.Add("packages", "Enter a valid JSON.");
            return null;
        }

        var yaml = $"#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n# packages: {node?.ToJsonString()}\n# --- End MAAS 1.0 script metadata ---\n";
        try
        {
            return ScriptMetadata.Parse(yaml).Packages?.ToJsonString();
        }
        catch (ValidationException e)
        {
            Merge(errors, e);
            return null;
        }
    }

    private static void Merge(FieldErrors errors, ValidationException e)
    {
        foreach (var (field, messages) in e.FieldErrors)
        {
            foreach (var message in messages)
                errors.Add(field, message);
        }
    }

    private static bool SameValue(string field, string formValue, ScriptMetadata yaml)
    {
        try
        {
            return field switch
            {
                "name" => formValue.Trim() == yaml.Name,
                "title" => formValue == yaml.Title,
                "description" => formValue == yaml.Description,
                "script_type" => ScriptMetadataConversions.ParseScriptType(field, formValue) == yaml.ScriptType,
                "hardware_type" => ScriptMetadataConversions.ParseHardwareType(field, formValue) == yaml.HardwareType,
                "parallel" => ScriptMetadataConversions.ParseParallel(field, formValue) == yaml.Parallel,
                "destructive" => ToBool(formValue) == yaml.Destructive,
                "may_reboot" => ToBool(formValue) == yaml.MayReboot,
                "recommission" => ToBool(formValue) == yaml.Recommission,
                "apply_configured_networking" => ToBool(formValue) == yaml.ApplyConfiguredNetworking,
                _ => true,
            };
        }
        catch (ValidationException)
        {
            return false;
        }
    }

    private static bool ToBool(string value) => value.Trim().ToLowerInvariant() is not ("" or "false" or "0");

    private static void CheckName(string name, FieldErrors errors)
    {
        if (name.Equals("none", StringComparison.OrdinalIgnoreCase))
            errors.Add("name", "\"none\" is a reserved name.");
        if (name.Length > 0 && name.All(char.IsAsciiDigit))
            errors.Add("name", "Cannot be a number.");
        // Python's shlex.quote leaves a name alone only when it is made of these characters.
        if (!name.All(c => char.IsLetterOrDigit(c) || c == '_' || "@%+=:,./-".Contains(c)))
            errors.Add("name", $"Name '{name}' contains disallowed characters, e.g. space or quotes.");
    }
}

using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;

namespace Anvil.Region.Scripts;

/// <summary>A script shipped with Anvil (embedded under Scripts/Builtin), with its metadata as the <c>script</c> row holds it.</summary>
internal sealed record BuiltinScript
{
    private const string ResourcePrefix = "Anvil.Region.Scripts.Builtin.";

    public required string Name { get; init; }
    public required string Text { get; init; }
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string[] Tags { get; init; } = [];
    public ScriptType ScriptType { get; init; }
    public HardwareType HardwareType { get; init; }
    public ScriptParallel Parallel { get; init; }
    public int TimeoutSeconds { get; init; }
    public bool Destructive { get; init; }
    public bool MayReboot { get; init; }
    public bool Recommission { get; init; }
    public string[] ForHardware { get; init; } = [];

    /// <summary>JSON objects, as stored in the jsonb columns.</summary>
    public string Parameters { get; init; } = "{}";

    public string Packages { get; init; } = "{}";
    public string Results { get; init; } = "{}";

    /// <summary>Every built-in script, in name order.</summary>
    public static IReadOnlyList<BuiltinScript> LoadAll()
    {
        var assembly = typeof(BuiltinScript).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return Parse(n[ResourcePrefix.Length..], reader.ReadToEnd());
            })];
    }

    /// <summary>
    /// Reads the embedded metadata with the parser user uploads go through; a built-in with bad
    /// or missing metadata is a packaging bug, so this throws.
    /// </summary>
    public static BuiltinScript Parse(string fileName, string text)
    {
        ScriptMetadata meta;
        try
        {
            meta = ScriptMetadata.Parse(text);
        }
        catch (ValidationException e)
        {
            throw new InvalidOperationException($"Built-in script {fileName}: {e.Message}", e);
        }

        if (!meta.Embedded)
            throw new InvalidOperationException($"Built-in script {fileName}: the script has no MAAS 1.0 metadata block.");
        if (meta.Name != fileName)
            throw new InvalidOperationException($"Built-in script {fileName}: its metadata names it \"{meta.Name}\".");
        return new BuiltinScript
        {
            Name = meta.Name,
            Text = text,
            Title = meta.Title ?? "",
            Description = meta.Description ?? "",
            Tags = [.. meta.Tags ?? []],
            ScriptType = meta.ScriptType ?? throw new InvalidOperationException($"Built-in script {fileName}: no script_type."),
            HardwareType = meta.HardwareType ?? HardwareType.Node,
            Parallel = meta.Parallel ?? ScriptParallel.Disabled,
            TimeoutSeconds = (int)(meta.Timeout ?? TimeSpan.Zero).TotalSeconds,
            Destructive = meta.Destructive ?? false,
            MayReboot = meta.MayReboot ?? false,
            Recommission = meta.Recommission ?? false,
            ForHardware = [.. meta.ForHardware ?? []],
            Parameters = meta.Parameters.ToJsonString(),
            Packages = meta.Packages?.ToJsonString() ?? "{}",
            Results = meta.Results.ToJsonString(),
        };
    }
}

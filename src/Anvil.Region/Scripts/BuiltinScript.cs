using System.Globalization;
using System.Text.Json;
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

    /// <summary>Reads the embedded metadata; a built-in with bad metadata is a packaging bug, so this throws.</summary>
    public static BuiltinScript Parse(string fileName, string text)
    {
        Dictionary<string, object?> meta;
        try
        {
            meta = BuiltinMetadataYaml.ReadScript(text);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Built-in script {fileName}: {e.Message}", e);
        }

        string Str(string key) => meta.TryGetValue(key, out var v) && v is string s ? s : "";
        bool Flag(string key) => Str(key).ToLowerInvariant() is "true" or "yes";
        string[] List(string key) => meta.TryGetValue(key, out var v) ? v switch
        {
            List<object?> l => [.. l.OfType<string>()],
            string s when s.Length > 0 => [.. s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            _ => [],
        } : [];

        var name = Str("name");
        if (name != fileName)
            throw new InvalidOperationException($"Built-in script {fileName}: its metadata names it \"{name}\".");
        return new BuiltinScript
        {
            Name = name,
            Text = text,
            Title = Str("title"),
            Description = Str("description"),
            Tags = List("tags"),
            ScriptType = Str("script_type") switch
            {
                "commissioning" or "commission" => ScriptType.Commissioning,
                "testing" or "test" => ScriptType.Testing,
                "release" => ScriptType.Release,
                var other => throw new InvalidOperationException($"Built-in script {fileName}: unknown script_type \"{other}\"."),
            },
            HardwareType = Enum.TryParse<HardwareType>(Str("hardware_type") is { Length: > 0 } h ? h : "node", ignoreCase: true, out var hardware)
                ? hardware
                : throw new InvalidOperationException($"Built-in script {fileName}: unknown hardware_type \"{Str("hardware_type")}\"."),
            Parallel = Enum.TryParse<ScriptParallel>(Str("parallel") is { Length: > 0 } p ? p : "disabled", ignoreCase: true, out var parallel)
                ? parallel
                : throw new InvalidOperationException($"Built-in script {fileName}: unknown parallel \"{Str("parallel")}\"."),
            TimeoutSeconds = Timeout(fileName, Str("timeout")),
            Destructive = Flag("destructive"),
            MayReboot = Flag("may_reboot"),
            Recommission = Flag("recommission"),
            ForHardware = List("for_hardware"),
            Parameters = Json(meta.GetValueOrDefault("parameters")),
            Packages = Json(meta.GetValueOrDefault("packages")),
            Results = Json(meta.GetValueOrDefault("results")),
        };
    }

    // Seconds, or [[HH:]MM:]SS as MAAS accepts.
    private static int Timeout(string fileName, string text)
    {
        if (text.Length == 0)
            return 0;
        var total = 0;
        foreach (var part in text.Split(':'))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                throw new InvalidOperationException($"Built-in script {fileName}: bad timeout \"{text}\".");
            total = (total * 60) + value;
        }

        return total;
    }

    private static string Json(object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, value ?? new Dictionary<string, object?>());
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case Dictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    w.WritePropertyName(key);
                    Write(w, item);
                }

                w.WriteEndObject();
                break;
            case List<object?> list:
                w.WriteStartArray();
                foreach (var item in list)
                    Write(w, item);
                w.WriteEndArray();
                break;
            case "true":
                w.WriteBooleanValue(true);
                break;
            case "false":
                w.WriteBooleanValue(false);
                break;
            case string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                w.WriteNumberValue(number);
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }
}

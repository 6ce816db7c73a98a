using System.Formats.Tar;
using System.Text.Json;

namespace Anvil.Lab.Fleet.Metadata;

/// <summary>One script the region wants run, as index.json lists it.</summary>
internal sealed record ScriptItem(string Name, long? ResultId, long? VersionId, int Parallel, bool HasFinished)
{
    /// <summary>What identifies the item across fetches: its result ID, else its name (enlistment tars have no IDs).</summary>
    public string Key => ResultId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Name;
}

/// <summary>The <c>index.json</c> of a <c>maas-scripts</c> tar (maas-api.md §7.4): sections of script items.</summary>
internal sealed class ScriptIndex
{
    private readonly Dictionary<string, List<ScriptItem>> sections;

    private ScriptIndex(Dictionary<string, List<ScriptItem>> sections) => this.sections = sections;

    public static ScriptIndex Empty { get; } = new([]);

    public bool Has(string section) => sections.ContainsKey(section);

    /// <summary>The section's items that have not finished, in the order the region listed them.</summary>
    public IReadOnlyList<ScriptItem> Pending(string section) =>
        sections.TryGetValue(section, out var items) ? [.. items.Where(i => !i.HasFinished)] : [];

    /// <summary>True when the section is listed and empty (the region says: nothing to test).</summary>
    public bool IsEmpty(string section) => sections.TryGetValue(section, out var items) && items.Count == 0;

    /// <summary>Reads index.json out of the tar; a body without one is an empty index (nothing to run).</summary>
    public static ScriptIndex FromTar(byte[] tar)
    {
        if (tar.Length == 0)
            return Empty;
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') != "index.json" || entry.DataStream is null)
                continue;
            using var json = JsonDocument.Parse(entry.DataStream);
            return FromJson(json.RootElement);
        }

        return Empty;
    }

    public static ScriptIndex FromJson(JsonElement root)
    {
        var sections = new Dictionary<string, List<ScriptItem>>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("1.0", out var version) || version.ValueKind != JsonValueKind.Object)
            return new ScriptIndex(sections);
        foreach (var section in version.EnumerateObject())
        {
            if (section.Value.ValueKind != JsonValueKind.Array)
                continue;
            sections[section.Name] = [.. section.Value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => new ScriptItem(
                i.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "",
                Long(i, "script_result_id"),
                Long(i, "script_version_id"),
                i.TryGetProperty("parallel", out var parallel) && parallel.ValueKind == JsonValueKind.Number ? parallel.GetInt32() : 0,
                i.TryGetProperty("has_finished", out var finished) && finished.ValueKind == JsonValueKind.True))];
        }

        return new ScriptIndex(sections);
    }

    private static long? Long(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}

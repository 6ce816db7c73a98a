using System.Globalization;

namespace Anvil.Domain.Netplan;

/// <summary>The little YAML tree the renderer builds: maps keep insertion order, so the caller decides it.</summary>
internal abstract class YamlNode;

internal sealed class YamlScalar(string text) : YamlNode
{
    public string Text { get; } = text;

    public static YamlScalar Of(string value) => new(YamlText.Scalar(value));

    public static YamlScalar Of(int value) => new(value.ToString(CultureInfo.InvariantCulture));

    public static YamlScalar Of(bool value) => new(value ? "true" : "false");
}

internal sealed class YamlSequence(IReadOnlyList<YamlNode> items) : YamlNode
{
    public IReadOnlyList<YamlNode> Items { get; } = items;
}

internal sealed class YamlMap : YamlNode
{
    private readonly List<KeyValuePair<string, YamlNode>> _entries = [];

    public IReadOnlyList<KeyValuePair<string, YamlNode>> Entries => _entries;

    public bool IsEmpty => _entries.Count == 0;

    public YamlMap Add(string key, YamlNode value)
    {
        _entries.Add(new(key, value));
        return this;
    }

    public YamlMap Add(string key, string value) => Add(key, YamlScalar.Of(value));

    public YamlMap Add(string key, int value) => Add(key, YamlScalar.Of(value));

    public YamlMap Add(string key, bool value) => Add(key, YamlScalar.Of(value));

    public YamlMap AddIfAny(string key, IReadOnlyList<string> values) =>
        values.Count == 0 ? this : Add(key, new YamlSequence([.. values.Select(YamlScalar.Of)]));

    public YamlMap AddIfAny(string key, IReadOnlyList<YamlNode> items) =>
        items.Count == 0 ? this : Add(key, new YamlSequence(items));

    public YamlMap AddIfAny(string key, YamlMap map) => map.IsEmpty ? this : Add(key, map);
}

using System.Text.Json.Nodes;

namespace Anvil.Domain.Config;

public enum ConfigKind
{
    String,
    NullableString,
    Int,
    Bool,
    Choice,
}

/// <summary>One MAAS configuration item: its name, kind, default and (for choices) allowed values.</summary>
public sealed record ConfigSetting(string Name, ConfigKind Kind, JsonNode? Default, IReadOnlyList<string>? Choices = null, int? Min = null);

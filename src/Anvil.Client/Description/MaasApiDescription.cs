using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Client.Description;

/// <summary>The API description served at <c>describe/</c>, from which CLIs build their commands.</summary>
public sealed record MaasApiDescription
{
    /// <summary>The top-level doc string, <c>MAAS API</c>.</summary>
    public string? Doc { get; init; }

    /// <summary>SHA-1 of the description; responses carry it as <c>X-MAAS-API-Hash</c>.</summary>
    public string? Hash { get; init; }

    /// <summary>Resources, each with its authenticated and anonymous handler.</summary>
    public IReadOnlyList<MaasApiResource> Resources { get; init; } = [];

    /// <summary>The flat backward-compatible handler list.</summary>
    public IReadOnlyList<MaasApiHandler> Handlers { get; init; } = [];

    /// <summary>The JSON text this description was parsed from.</summary>
    [JsonIgnore]
    public string Json { get; init; } = "";

    /// <summary>Parses a describe/ document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The description, keeping <paramref name="json"/> in <see cref="Json"/>.</returns>
    /// <exception cref="JsonException">The text is not a JSON object of the describe/ shape.</exception>
    public static MaasApiDescription Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var parsed = JsonSerializer.Deserialize<MaasApiDescription>(json, MaasJson.Options)
            ?? throw new JsonException("The API description is JSON null.");
        return parsed with { Json = json };
    }
}

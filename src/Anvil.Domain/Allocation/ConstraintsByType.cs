using System.Text.Json.Serialization;

namespace Anvil.Domain.Allocation;

/// <summary>
/// The <c>constraints_by_type</c> object of MAAS's allocate response. Absent parts are omitted,
/// as MAAS omits them; gomaasapi reads <c>storage</c> and <c>interfaces</c> as <c>{label: [ids]}</c>.
/// </summary>
public sealed record ConstraintsByType
{
    /// <summary>label → device keys (a block device id as a number, or <c>"partition:&lt;id&gt;"</c>).</summary>
    [JsonPropertyName("storage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<object>>? Storage { get; init; }

    /// <summary>label → interface ids.</summary>
    [JsonPropertyName("interfaces")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<long>>? Interfaces { get; init; }

    /// <summary>machine id → (device key → label).</summary>
    [JsonPropertyName("verbose_storage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? VerboseStorage { get; init; }

    /// <summary>label → (machine id → interface ids).</summary>
    [JsonPropertyName("verbose_interfaces")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<long>>>? VerboseInterfaces { get; init; }
}

using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Anvil.Data.Scripts;
using Anvil.Domain.Scripts;

namespace Anvil.Region.Api.Scripts;

/// <summary>MAAS's NodeScriptHandler fields. <c>timeout</c> is Python's timedelta text, history is newest first.</summary>
internal sealed record ScriptDto(
    long Id,
    string Name,
    string Title,
    string Description,
    IReadOnlyList<string> Tags,
    int Type,
    string TypeName,
    int HardwareType,
    string HardwareTypeName,
    int Parallel,
    string ParallelName,
    JsonNode? Results,
    JsonNode? Parameters,
    JsonNode? Packages,
    string Timeout,
    bool Destructive,
    IReadOnlyList<string> ForHardware,
    bool MayReboot,
    bool Recommission,
    IReadOnlyList<ScriptHistoryDto> History,
    bool Default,
    bool ApplyConfiguredNetworking,
    string ResourceUri)
{
    public static ScriptDto From(ScriptRecord s, IEnumerable<ScriptVersionRecord> versions, bool includeScript) => new(
        s.Id,
        s.Name,
        s.Title,
        s.Description,
        s.Tags,
        (int)s.ScriptType,
        ScriptMetadataConversions.Label(s.ScriptType),
        (int)s.HardwareType,
        ScriptMetadataConversions.Label(s.HardwareType),
        (int)s.Parallel,
        ScriptMetadataConversions.Label(s.Parallel),
        JsonNode.Parse(s.Results),
        JsonNode.Parse(s.Parameters),
        JsonNode.Parse(s.Packages),
        ScriptMetadataConversions.FormatDuration(TimeSpan.FromSeconds(s.TimeoutSeconds)),
        s.Destructive,
        s.ForHardware,
        s.MayReboot,
        s.Recommission,
        versions.Select(v => new ScriptHistoryDto(
            v.Id,
            v.Comment.Length == 0 ? null : v.Comment,
            ScriptDates.Format(v.Created),
            includeScript ? Convert.ToBase64String(Encoding.UTF8.GetBytes(v.Data)) : null)).ToList(),
        s.IsDefault,
        s.ApplyConfiguredNetworking,
        ScriptUri(s.Name));

    public static string ScriptUri(string name) => $"/MAAS/api/2.0/scripts/{Uri.EscapeDataString(name)}";
}

/// <summary>One version of a script; <c>data</c> (base64) only when the caller asked for the script.</summary>
internal sealed record ScriptHistoryDto(
    long Id,
    string? Comment,
    string Created,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Data);

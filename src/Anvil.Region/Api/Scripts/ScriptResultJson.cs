using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Anvil.Data.Scripts;
using Anvil.Domain.Scripts;

namespace Anvil.Region.Api.Scripts;

/// <summary>MAAS's NodeScriptResultHandler object: one script set and its (filtered) results.</summary>
internal sealed record ScriptSetDto(
    long Id,
    string SystemId,
    int Type,
    string TypeName,
    string? LastPing,
    int Status,
    string StatusName,
    string? Started,
    string? Ended,
    string Runtime,
    IReadOnlyList<ScriptResultDto> Results,
    bool Suppressed,
    string ResourceUri);

/// <summary>One script result; outputs (base64) only when asked for.</summary>
internal sealed record ScriptResultDto(
    long Id,
    string Created,
    string Updated,
    string Name,
    int Status,
    string StatusName,
    int? ExitStatus,
    string? Started,
    string? Ended,
    string Runtime,
    JsonValue Starttime,
    JsonValue Endtime,
    string EstimatedRuntime,
    JsonNode? Parameters,
    long? ScriptId,
    long? ScriptRevisionId,
    bool Suppressed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Output,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Stdout,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Stderr,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Result);

internal static class ScriptResultJson
{
    /// <summary>The order MAAS lists results in: by name, then block device, then interface.</summary>
    public static IReadOnlyList<ScriptResultRecord> Sorted(IEnumerable<ScriptResultRecord> results) =>
        [.. results.OrderBy(r => r.ScriptName, StringComparer.Ordinal).ThenBy(r => r.BlockDeviceName, StringComparer.Ordinal).ThenBy(r => r.InterfaceName, StringComparer.Ordinal)];

    public static ScriptSetDto Set(
        ResultsNode node, ScriptSetRecord set, IReadOnlyList<ScriptResultRecord> all, IReadOnlyList<ScriptResultRecord> shown,
        IReadOnlyList<PassedRun> passed, bool includeOutput)
    {
        var status = all.Count == 0 ? ScriptStatusSummary.NoResults : (int)ScriptStatusSummary.Overall(all.Where(r => !r.Suppressed).Select(r => r.Status));
        var started = all.Where(r => r.Started is not null).Select(r => r.Started).Min();
        var ended = all.Count == 0 || all.Any(r => r.Ended is null) ? null : all.Max(r => r.Ended);
        return new ScriptSetDto(
            set.Id,
            node.SystemId,
            (int)set.ResultType,
            ScriptMetadataConversions.Label(set.ResultType),
            ScriptDates.Format(set.LastPing),
            status,
            ScriptMetadataConversions.Label((ScriptStatus)status),
            ScriptDates.Format(started),
            ScriptDates.Format(ended),
            Runtime(started, ended),
            [.. shown.Select(r => Result(r, passed, includeOutput))],
            all.Count > 0 && all.All(r => r.Suppressed),
            $"/MAAS/api/2.0/nodes/{node.SystemId}/results/{set.Id}/");
    }

    private static ScriptResultDto Result(ScriptResultRecord r, IReadOnlyList<PassedRun> passed, bool includeOutput)
    {
        var runtime = Runtime(r.Started, r.Ended);
        return new ScriptResultDto(
            r.Id,
            ScriptDates.Format(r.Created),
            ScriptDates.Format(r.Updated),
            r.ScriptName,
            (int)r.Status,
            ScriptMetadataConversions.Label(r.Status),
            r.ExitStatus,
            ScriptDates.Format(r.Started),
            ScriptDates.Format(r.Ended),
            runtime,
            Epoch(r.Started),
            Epoch(r.Ended),
            runtime.Length > 0 ? runtime : Estimate(r, passed),
            Redacted(r.Parameters),
            r.ScriptId,
            r.ScriptVersionId,
            r.Suppressed,
            includeOutput ? Convert.ToBase64String(r.Output) : null,
            includeOutput ? Convert.ToBase64String(r.Stdout) : null,
            includeOutput ? Convert.ToBase64String(r.Stderr) : null,
            includeOutput ? Convert.ToBase64String(r.Result) : null);
    }

    /// <summary>Python's str(timedelta) without microseconds, or "" until both ends are known.</summary>
    private static string Runtime(DateTimeOffset? started, DateTimeOffset? ended) =>
        started is { } s && ended is { } e ? ScriptMetadataConversions.FormatDuration(TimeSpan.FromSeconds(Math.Floor((e - s).TotalSeconds))) : "";

    /// <summary>Seconds since the epoch as a number, or "" when not known (MAAS's starttime/endtime).</summary>
    private static JsonValue Epoch(DateTimeOffset? value) =>
        value is { } v ? JsonValue.Create(v.ToUnixTimeMilliseconds() / 1000.0) : JsonValue.Create("");

    /// <summary>MAAS's estimated_runtime: a running mean over earlier passed runs, else the script's timeout, else "Unknown".</summary>
    private static string Estimate(ScriptResultRecord r, IReadOnlyList<PassedRun> passed)
    {
        TimeSpan? mean = null;
        foreach (var run in passed.Where(p => p.Name == r.ScriptName && p.Id != r.Id))
        {
            var took = run.Ended!.Value - (run.Started ?? run.Ended.Value);
            mean = mean is null ? took : (mean.Value + took) / 2;
        }

        if (mean is { } m)
            return ScriptMetadataConversions.FormatDuration(TimeSpan.FromSeconds(Math.Floor(m.TotalSeconds)));
        return r.ScriptTimeoutSeconds is { } timeout and > 0 ? ScriptMetadataConversions.FormatDuration(TimeSpan.FromSeconds(timeout)) : "Unknown";
    }

    /// <summary>Password parameter values never leave the region.</summary>
    private static JsonNode? Redacted(string parameters)
    {
        var node = JsonNode.Parse(parameters);
        if (node is JsonObject map)
        {
            foreach (var (_, value) in map)
            {
                if (value is JsonObject p && p["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "password" && p.ContainsKey("value"))
                    p["value"] = "REDACTED";
            }
        }

        return node;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Lab.Fleet;

/// <summary>Percentiles of one set of durations, in seconds.</summary>
public sealed record Distribution(int Count, double P50, double P95, double Max)
{
    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
            return new Distribution(0, 0, 0, 0);
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Distribution(sorted.Length, At(0.50), At(0.95), sorted[^1]);
    }
}

/// <summary>One phase of the run (enlist, commission, deploy): how long until every machine got there, and per machine.</summary>
public sealed record PhaseReport(string Name, double SecondsUntilAll, int Succeeded, int Failed, Distribution PerMachine);

/// <summary>A machine that did not make it, with where it was.</summary>
public sealed record MachineFailure(int Index, string Mac, string? SystemId, string Phase, string? Status, string? Step, string? Error);

/// <summary>The region process while the fleet ran (from /proc), when its pid was given.</summary>
public sealed record RegionUsage(double CpuSeconds, long PeakRssBytes);

/// <summary>One machine's whole timeline, for digging into a run.</summary>
public sealed record MachineRecord(int Index, string Mac, string? SystemId, IReadOnlyList<MachineStep> Steps);

/// <summary>What <c>anvil-lab fleet</c> prints and writes as JSON.</summary>
public sealed record FleetReport(
    int Machines,
    string Goal,
    double TotalSeconds,
    IReadOnlyList<PhaseReport> Phases,
    IReadOnlyDictionary<string, Distribution> Steps,
    IReadOnlyList<MachineFailure> Failures,
    RegionUsage? Region,
    long BootBytes,
    long ImageBytes,
    long BmcCommands,
    long DhcpRepliesDropped,
    IReadOnlyList<MachineRecord> MachineTimelines)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToText()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"fleet: {Machines} machines, goal {Goal}, {TotalSeconds:F1} s in all, {Failures.Count} failed");
        foreach (var phase in Phases)
        {
            text.AppendLine(c, $"  {phase.Name,-11} all done after {phase.SecondsUntilAll,8:F1} s   ok {phase.Succeeded,5}  failed {phase.Failed,5}   per machine p50 {phase.PerMachine.P50,7:F2} s  p95 {phase.PerMachine.P95,7:F2} s  max {phase.PerMachine.Max,7:F2} s");
        }

        text.AppendLine("  phase/step (seconds)                 count      p50      p95      max");
        var phaseOrder = Phases.Select(p => p.Name).ToList();
        int PhaseIndex(string step) => phaseOrder.IndexOf(step.Split('/')[0]) is var i and >= 0 ? i : phaseOrder.Count;
        foreach (var (name, d) in Steps.OrderBy(s => PhaseIndex(s.Key)).ThenBy(s => s.Key, StringComparer.Ordinal))
            text.AppendLine(c, $"    {name,-34} {d.Count,7} {d.P50,8:F3} {d.P95,8:F3} {d.Max,8:F3}");
        foreach (var group in Failures.GroupBy(f => $"{f.Phase}/{f.Step ?? "?"}"))
            text.AppendLine(c, $"  failed at {group.Key}: {group.Count()} (e.g. {group.First().Mac}: {group.First().Status} {group.First().Error})");
        if (Region is { } region)
            text.AppendLine(c, $"  region: {region.CpuSeconds:F1} CPU s, peak RSS {region.PeakRssBytes / (1024.0 * 1024):F0} MiB");
        text.AppendLine(c, $"  boot files {BootBytes / (1024.0 * 1024):F1} MiB, deploy images {ImageBytes / 1024.0:F0} KiB, BMC commands {BmcCommands}, DHCP replies dropped {DhcpRepliesDropped}");
        return text.ToString();
    }
}

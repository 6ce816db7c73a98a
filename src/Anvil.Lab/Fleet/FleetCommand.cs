namespace Anvil.Lab.Fleet;

/// <summary><c>anvil-lab fleet</c>: runs the fleet, prints the summary, writes the JSON; exit 1 when any machine failed.</summary>
internal static class FleetCommand
{
    public static async Task<int> RunAsync(FleetOptions options, TextWriter output, CancellationToken ct)
    {
        var report = await new FleetRunner(options, Console.Error).RunAsync(ct);
        await output.WriteAsync(report.ToText());
        if (options.JsonPath is { } path)
            await File.WriteAllTextAsync(path, report.ToJson(), ct);
        return report.Failures.Count == 0 ? 0 : 1;
    }
}

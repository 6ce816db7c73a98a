using System.Globalization;
using Anvil.Client;
using Anvil.Lab.Fleet.Commissioning;

namespace Anvil.Lab.Fleet.Metadata;

/// <summary>
/// What <c>ephemeral/runner.sh</c> does, minus running anything: fetch <c>maas-scripts</c>, signal
/// WORKING at each script's start and its result (exit 0, the captured output for the built-in
/// inventory scripts), fetch again for scripts the results made eligible, TESTING, the testing
/// scripts, then OK. Each signal is a real multipart POST the region processes.
/// </summary>
internal sealed class EphemeralRunner(MetadataClient metadata, MachineIdentity machine, MachineTimeline timeline, string kernelCommandLine, TimeSpan scriptTime)
{
    private const int MaxRefetchRounds = 5;
    private readonly HashSet<string> done = new(StringComparer.Ordinal);

    /// <summary>Runs whatever the region hands out and signals the end; false when a signal said FAILED.</summary>
    public async Task<bool> RunAsync(bool enlisted, CancellationToken ct)
    {
        if (enlisted)
            await timeline.StepAsync("signal-commissioning", () => metadata.SignalAsync("COMMISSIONING", null, ct));
        var index = await FetchAsync(ct);
        if (index.Has("commissioning_scripts"))
        {
            var failed = await timeline.StepAsync("commissioning-scripts", () => RunSectionAsync(index, "commissioning_scripts", ct));
            for (var round = 0; failed == 0 && round < MaxRefetchRounds; round++)
            {
                index = await FetchAsync(ct);
                if (!index.Pending("commissioning_scripts").Any(i => !done.Contains(i.Key)))
                    break;
                failed = await timeline.StepAsync("commissioning-scripts", () => RunSectionAsync(index, "commissioning_scripts", ct));
            }

            if (failed > 0)
                return await FinishAsync("FAILED", $"{failed} commissioning scripts failed to run", ct);
            if (!index.IsEmpty("testing_scripts"))
            {
                await timeline.StepAsync("signal-testing", () => metadata.SignalAsync("TESTING", null, ct));
                index = await FetchAsync(ct);
            }
        }

        foreach (var section in (string[])["testing_scripts", "release_scripts"])
        {
            if (!index.Has(section))
                continue;
            var failed = await timeline.StepAsync(section.Replace('_', '-'), () => RunSectionAsync(index, section, ct));
            if (failed > 0)
                return await FinishAsync("FAILED", $"{failed} {section.Split('_')[0]} scripts failed to run", ct);
        }

        return await FinishAsync("OK", "All scripts successfully ran", ct);
    }

    private async Task<bool> FinishAsync(string status, string message, CancellationToken ct)
    {
        await timeline.StepAsync("signal-" + status.ToLowerInvariant(), () => metadata.SignalAsync(status, message, ct));
        return status == "OK";
    }

    private Task<ScriptIndex> FetchAsync(CancellationToken ct) =>
        timeline.StepAsync("fetch-scripts", async () => ScriptIndex.FromTar(await metadata.ScriptsAsync(ct)));

    /// <summary>Runs the section's new items: one at a time for parallel 0, then the rest together, as the runner groups them.</summary>
    private async Task<int> RunSectionAsync(ScriptIndex index, string section, CancellationToken ct)
    {
        var items = index.Pending(section).Where(i => done.Add(i.Key)).ToList();
        var total = items.Count;
        var position = 0;
        foreach (var item in items.Where(i => i.Parallel == 0))
            await RunScriptAsync(item, ++position, total, ct);
        await Task.WhenAll(items.Where(i => i.Parallel != 0).Select(i => RunScriptAsync(i, Interlocked.Increment(ref position), total, ct)));
        return 0;
    }

    private async Task RunScriptAsync(ScriptItem item, int position, int total, CancellationToken ct)
    {
        var identity = new List<KeyValuePair<string, string>>();
        if (item.ResultId is { } id)
            identity.Add(new("script_result_id", id.ToString(CultureInfo.InvariantCulture)));
        if (item.VersionId is { } version)
            identity.Add(new("script_version_id", version.ToString(CultureInfo.InvariantCulture)));
        identity.Add(new("name", item.Name));
        await metadata.SignalAsync("WORKING", $"Starting {item.Name} [{position}/{total}]", ct, identity);
        var started = timeline.Now;
        if (scriptTime > TimeSpan.Zero)
            await Task.Delay(scriptTime, ct);
        var output = CommissioningOutputs.For(item.Name, machine, kernelCommandLine);
        var runtime = (timeline.Now - started).ToString("0.00", CultureInfo.InvariantCulture);
        MaasFile[] files =
        [
            new(item.Name, item.Name, output),
            new(item.Name + ".out", item.Name + ".out", output),
            new(item.Name + ".err", item.Name + ".err", ReadOnlyMemory<byte>.Empty),
        ];
        await metadata.SignalAsync("WORKING", $"Finished {item.Name} [{position}/{total}]: 0", ct,
            [.. identity, new("exit_status", "0"), new("runtime", runtime)], files);
    }
}

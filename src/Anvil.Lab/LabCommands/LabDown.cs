using Anvil.Lab.Vms;

namespace Anvil.Lab.LabCommands;

/// <summary>
/// <c>anvil-lab down</c>: stops every process of the lab and removes its network and files, from
/// the state file if there is one and from the names the state directory implies if not, so it
/// also cleans up after an <c>up</c> that failed or was killed, or processes that died.
/// </summary>
internal static class LabDown
{
    public static async Task<int> RunAsync(string stateDirectory, TextWriter output)
    {
        var lab = LabState.Load(stateDirectory) ?? LabState.ForDirectory(stateDirectory, subnetPrefix: "");
        var ns = lab.NetNamespace;
        var hasNamespace = await LabNetwork.NamespaceExistsAsync(ns);

        // anvild first, with time to stop its PostgreSQL cluster cleanly (SIGTERM, as systemd does).
        if (lab.AnvildPid is { } anvild && Belongs(anvild, lab.AnvildDataDirectory))
            await LabProcesses.StopAsync([anvild], TimeSpan.FromSeconds(30));

        // Then everything else: whatever runs in the namespace (ipmi_sim, qemu, named, postgres …)
        // and whatever names the state directory (a process that left the namespace or outlived it).
        var stateMarker = lab.StateDirectory + "/";
        var rest = new HashSet<int>(LabProcesses.Matching(argv => argv.Any(a => a.Contains(stateMarker, StringComparison.Ordinal))));
        if (hasNamespace)
            rest.UnionWith(await LabNetwork.ProcessesAsync(ns));
        foreach (var machine in lab.Machines.Where(m => m.VmName is not null))
            rest.UnionWith(IpmiVm.QemuPids(machine.VmName!));
        rest.Remove(Environment.ProcessId);
        await LabProcesses.StopAsync(rest, TimeSpan.FromSeconds(5));
        var survivors = rest.Where(LabProcesses.IsAlive).ToList();

        await LabNetwork.DeleteAsync(lab);
        DeleteFiles(lab);
        await output.WriteLineAsync(survivors.Count == 0
            ? $"Lab in {lab.StateDirectory} is down: {rest.Count + (lab.AnvildPid is null ? 0 : 1)} process(es) stopped, namespace {ns} {(hasNamespace ? "deleted" : "was not there")}."
            : $"Lab in {lab.StateDirectory}: namespace {ns} deleted, but these processes would not stop: {string.Join(' ', survivors)}");
        return survivors.Count == 0 ? 0 : 1;
    }

    /// <summary>True when <paramref name="pid"/> still is the process recorded (its arguments name <paramref name="marker"/>), not a reused pid.</summary>
    private static bool Belongs(int pid, string marker) =>
        LabProcesses.Arguments(pid) is { } argv && argv.Any(a => a.Contains(marker, StringComparison.Ordinal));

    /// <summary>Only what up creates: the state directory may hold other things of the operator's.</summary>
    private static void DeleteFiles(LabState lab)
    {
        foreach (var directory in (string[])[lab.AnvildDataDirectory, Path.Combine(lab.StateDirectory, "machines")])
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }

        if (!Directory.Exists(lab.StateDirectory))
            return;
        foreach (var file in (string[])[lab.AnvildLog, LabState.PathIn(lab.StateDirectory), LabState.PathIn(lab.StateDirectory) + ".new"])
            File.Delete(file);
        if (!Directory.EnumerateFileSystemEntries(lab.StateDirectory).Any())
            Directory.Delete(lab.StateDirectory);
    }
}

using System.Globalization;

namespace Anvil.Lab.Vms;

/// <summary>
/// Finds and stops lab processes by pid or by command line, from /proc: what the lab started may
/// belong to an earlier <c>anvil-lab</c> run, so <see cref="System.Diagnostics.Process"/> objects
/// are not at hand.
/// </summary>
public static class LabProcesses
{
    /// <summary>The ids of live (not zombie) processes whose arguments (argv, split at NUL) match.</summary>
    public static IReadOnlyList<int> Matching(Func<string[], bool> matches)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var pid) && Arguments(pid) is { } argv && matches(argv) && IsAlive(pid))
                found.Add(pid);
        }

        return found;
    }

    /// <summary>The process's argv, or null when it is gone.</summary>
    public static string[]? Arguments(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/cmdline");
            return text.Length == 0 ? null : text.TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat.Length > stat.LastIndexOf(')') + 2 && stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// SIGTERM, then SIGKILL after <paramref name="grace"/> for those still alive; waits until
    /// they are gone (or zombies of a parent that has not reaped them yet).
    /// </summary>
    public static async Task StopAsync(IEnumerable<int> pids, TimeSpan grace)
    {
        var targets = pids.Where(IsAlive).ToList();
        if (targets.Count == 0)
            return;
        await SignalAsync("TERM", targets);
        var deadline = DateTime.UtcNow + grace;
        while (targets.Any(IsAlive) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var left = targets.Where(IsAlive).ToList();
        if (left.Count == 0)
            return;
        await SignalAsync("KILL", left);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (left.Any(IsAlive) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
    }

    private static async Task SignalAsync(string signal, IEnumerable<int> pids) =>
        await LabCommand.TryRunAsync(LabCommand.DefaultTimeout, "kill", [$"-{signal}", .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))]);
}

namespace Anvil.Testing;

/// <summary>
/// Finds processes by their command line, for cleaning up what a test's peer started and then
/// left behind (ipmi_sim's VMs, a named whose anvild was killed).
/// </summary>
public static class ProcessTable
{
    /// <summary>The ids of live processes whose arguments (argv, split at NUL) match.</summary>
    public static IReadOnlyList<int> Matching(Func<string[], bool> matches)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
                continue;
            try
            {
                if (matches(File.ReadAllText(Path.Combine(entry, "cmdline")).TrimEnd('\0').Split('\0')))
                    found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    /// <summary>Kills every matching process; ones that end meanwhile are fine.</summary>
    public static void Kill(Func<string[], bool> matches)
    {
        foreach (var pid in Matching(matches))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
            }
        }
    }
}

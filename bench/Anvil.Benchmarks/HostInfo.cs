using System.Runtime.InteropServices;

namespace Anvil.Benchmarks;

/// <summary>The machine the figures were taken on, read from /proc and /etc/os-release.</summary>
internal static class HostInfo
{
    public static string Describe()
    {
        var cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = FirstValue("/proc/meminfo", "MemTotal") is { } total && long.TryParse(total.Split(' ')[0], out var kib)
            ? $"{kib / 1024.0 / 1024.0:F1} GiB"
            : "? GiB";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        return $"{cpu}, {Environment.ProcessorCount} logical CPUs, {memory}, {os ?? RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string? FirstValue(string file, string key)
    {
        if (!File.Exists(file))
            return null;
        return File.ReadLines(file)
            .Select(line => line.Split(':', 2))
            .FirstOrDefault(parts => parts.Length == 2 && parts[0].Trim() == key)?[1].Trim();
    }
}

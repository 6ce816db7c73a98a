using System.Globalization;

namespace Anvil.Lab.Fleet;

/// <summary>CPU time and peak RSS of the region process, read from /proc (same machine only).</summary>
internal static class RegionProcess
{
    /// <summary>utime + stime of the process and its waited-for children, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // fields after the command name, which is in parentheses and may contain spaces
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Field(int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return (Field(14) + Field(15) + Field(16) + Field(17)) / 100.0; // USER_HZ is 100 on Linux
    }

    /// <summary>VmHWM: the largest resident set the process has had.</summary>
    public static long PeakRssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }

        return 0;
    }
}

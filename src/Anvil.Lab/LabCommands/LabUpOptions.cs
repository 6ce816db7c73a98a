using System.Globalization;

namespace Anvil.Lab.LabCommands;

/// <summary><c>anvil-lab up</c>'s options.</summary>
internal sealed record LabUpOptions
{
    public const string DefaultStateDirectory = "/var/lib/anvil-lab";

    public const string Usage =
        "usage: anvil-lab up [--machines N] [--uefi K] [--state-dir DIR] [--anvild PATH] [--disk-gib G] [--memory-mib M] [--commission true|false] [--ephemeral DIR]\n" +
        "       anvil-lab status [--state-dir DIR]\n" +
        "       anvil-lab down [--state-dir DIR]";

    public int Machines { get; init; } = 2;

    /// <summary>How many of the machines boot OVMF (UEFI); the rest SeaBIOS.</summary>
    public int Uefi { get; init; }

    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary>anvild's executable, or its <c>anvild.dll</c> (run with <c>dotnet</c>).</summary>
    public string Anvild { get; init; } = Path.Combine(AppContext.BaseDirectory, "anvild.dll");

    public int DiskGiB { get; init; } = 8;

    public int MemoryMiB { get; init; } = 1024;

    /// <summary>Whether the region commissions each machine as it is added (it powers it on through its BMC).</summary>
    public bool Commission { get; init; }

    /// <summary>A built ephemeral environment (<c>boot-kernel</c>, <c>boot-initrd</c>: what scripts/ephemeral.sh prints) to give the rack.</summary>
    public string? Ephemeral { get; init; }

    public static LabUpOptions Parse(IReadOnlyList<string> args)
    {
        var values = CommandLine.Parse(args);
        var known = new[] { "--machines", "--uefi", "--state-dir", "--anvild", "--disk-gib", "--memory-mib", "--commission", "--ephemeral" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new ArgumentException($"Unknown option {unknown}.");
        var defaults = new LabUpOptions();
        var options = new LabUpOptions
        {
            Machines = Int(values, "--machines", defaults.Machines),
            Uefi = Int(values, "--uefi", defaults.Uefi),
            StateDirectory = values.GetValueOrDefault("--state-dir") ?? defaults.StateDirectory,
            Anvild = values.GetValueOrDefault("--anvild") ?? defaults.Anvild,
            DiskGiB = Int(values, "--disk-gib", defaults.DiskGiB),
            MemoryMiB = Int(values, "--memory-mib", defaults.MemoryMiB),
            Commission = values.TryGetValue("--commission", out var commission) && bool.Parse(commission),
            Ephemeral = values.GetValueOrDefault("--ephemeral"),
        };
        if (options.Machines is < 0 or > 80)
            throw new ArgumentException("--machines must be between 0 and 80.");
        if (options.Uefi < 0 || options.Uefi > options.Machines)
            throw new ArgumentException("--uefi must be between 0 and --machines.");
        return options;
    }

    /// <summary>--state-dir alone, for <c>status</c> and <c>down</c>.</summary>
    public static string ParseStateDirectory(IReadOnlyList<string> args)
    {
        var values = CommandLine.Parse(args);
        if (values.Keys.FirstOrDefault(k => k != "--state-dir") is { } unknown)
            throw new ArgumentException($"Unknown option {unknown}.");
        return values.GetValueOrDefault("--state-dir") ?? DefaultStateDirectory;
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"{name} needs a number, got '{text}'.");
}

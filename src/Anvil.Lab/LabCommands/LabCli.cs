namespace Anvil.Lab.LabCommands;

/// <summary><c>anvil-lab up|status|down</c>: the VM lab (see docs/architecture/lab.md).</summary>
public static class LabCli
{
    public static readonly IReadOnlySet<string> Commands = new HashSet<string>(StringComparer.Ordinal) { "up", "status", "down" };

    /// <summary>Runs one of <see cref="Commands"/> with its options; returns the exit code.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken ct) =>
        args[0] switch
        {
            "up" => LabUp.RunAsync(LabUpOptions.Parse(args.Skip(1).ToList()), output, ct),
            "status" => LabStatus.RunAsync(LabUpOptions.ParseStateDirectory(args.Skip(1).ToList()), output, ct),
            "down" => LabDown.RunAsync(LabUpOptions.ParseStateDirectory(args.Skip(1).ToList()), output),
            _ => throw new ArgumentException(LabUpOptions.Usage),
        };

    public static string Usage => LabUpOptions.Usage;
}

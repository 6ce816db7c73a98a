namespace Anvil.Benchmarks.Tags;

/// <summary><c>tags [--machines 10000] [--runs 5] [--warmup 1] [--anvild PATH]</c>.</summary>
internal sealed record TagBenchOptions
{
    public int Machines { get; init; } = 10_000;
    public int Runs { get; init; } = 5;
    public int WarmupRuns { get; init; } = 1;
    /// <summary>The anvild executable (apphost or .dll); found in the repository's build output when null.</summary>
    public string? Anvild { get; init; }

    public static TagBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TagBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--machines" => options with { Machines = int.Parse(value) },
                "--runs" => options with { Runs = int.Parse(value) },
                "--warmup" => options with { WarmupRuns = int.Parse(value) },
                "--anvild" => options with { Anvild = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --machines N --runs N --warmup N --anvild PATH."),
            };
            i++;
        }

        if (options.Machines < 1 || options.Runs < 1 || options.WarmupRuns < 0)
            throw new ArgumentException("--machines and --runs must be positive.");
        return options;
    }
}

namespace Anvil.Benchmarks.Leases;

/// <summary><c>leases [--sizes 1,100,1000] [--runs 10] [--warmup 2] [--anvild PATH]</c>.</summary>
internal sealed record LeaseBenchOptions
{
    public IReadOnlyList<int> Sizes { get; init; } = [1, 100, 1000];
    public int Runs { get; init; } = 10;
    public int WarmupRuns { get; init; } = 2;
    /// <summary>The anvild executable (apphost or .dll); found in the repository's build output when null.</summary>
    public string? Anvild { get; init; }

    public static LeaseBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LeaseBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = [.. value.Split(',').Select(int.Parse)] },
                "--runs" => options with { Runs = int.Parse(value) },
                "--warmup" => options with { WarmupRuns = int.Parse(value) },
                "--anvild" => options with { Anvild = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --sizes 1,100,1000 --runs N --warmup N --anvild PATH."),
            };
            i++;
        }

        if (options.Sizes.Any(s => s is < 1 or > 3000) || options.Runs < 1 || options.WarmupRuns < 0)
            throw new ArgumentException("--sizes must be 1 to 3000 (the dynamic range holds 3,584 addresses), --runs positive.");
        return options;
    }
}

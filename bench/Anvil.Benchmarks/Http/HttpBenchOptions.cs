namespace Anvil.Benchmarks.Http;

/// <summary>
/// <c>http [--machines 1000,10000] [--runs 10] [--warmup 2] [--clients 4] [--seconds 10] [--anvild PATH]</c>.
/// </summary>
internal sealed record HttpBenchOptions
{
    public IReadOnlyList<int> MachineCounts { get; init; } = [1000, 10000];
    public int Runs { get; init; } = 10;
    public int WarmupRuns { get; init; } = 2;
    public int Clients { get; init; } = 4;
    public TimeSpan ItemDuration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan ItemWarmup { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>The anvild executable (apphost or .dll); found in the repository's build output when null.</summary>
    public string? Anvild { get; init; }

    public static HttpBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new HttpBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--machines" => options with { MachineCounts = [.. value.Split(',').Select(int.Parse).Order()] },
                "--runs" => options with { Runs = int.Parse(value) },
                "--warmup" => options with { WarmupRuns = int.Parse(value) },
                "--clients" => options with { Clients = int.Parse(value) },
                "--seconds" => options with { ItemDuration = TimeSpan.FromSeconds(double.Parse(value)) },
                "--anvild" => options with { Anvild = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --machines N[,N...] --runs N --warmup N --clients N --seconds S --anvild PATH."),
            };
            i++;
        }

        if (options.MachineCounts.Count == 0 || options.MachineCounts[0] < 1 || options.Runs < 1 || options.Clients < 1)
            throw new ArgumentException("--machines, --runs and --clients must be positive.");
        return options;
    }
}

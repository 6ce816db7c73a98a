namespace Anvil.Benchmarks.Dns;

/// <summary><c>dns [--sizes 1,100,1000] [--runs 10] [--warmup 2] [--load-seconds 10] [--load-qps max,20000] [--anvild PATH]</c>.</summary>
internal sealed record DnsBenchOptions
{
    public IReadOnlyList<int> Sizes { get; init; } = [1, 100, 1000];
    public int Runs { get; init; } = 10;
    public int WarmupRuns { get; init; } = 2;

    /// <summary>Each phase of the query-load run (before, during the publishes, after) lasts this long.</summary>
    public int LoadSeconds { get; init; } = 10;

    /// <summary>One query-load run per entry: null is dnsperf at full speed, a number limits it to that many QPS.</summary>
    public IReadOnlyList<int?> LoadQps { get; init; } = [null, 20_000];

    /// <summary>The anvild executable (apphost or .dll); found in the repository's build output when null.</summary>
    public string? Anvild { get; init; }

    public static DnsBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DnsBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = [.. value.Split(',').Select(int.Parse)] },
                "--runs" => options with { Runs = int.Parse(value) },
                "--warmup" => options with { WarmupRuns = int.Parse(value) },
                "--load-seconds" => options with { LoadSeconds = int.Parse(value) },
                "--load-qps" => options with { LoadQps = [.. value.Split(',').Select(v => v == "max" ? (int?)null : int.Parse(v))] },
                "--anvild" => options with { Anvild = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --sizes 1,100,1000 --runs N --warmup N --load-seconds N --load-qps max,20000 --anvild PATH."),
            };
            i++;
        }

        if (options.Sizes.Any(s => s is < 1 or > 5000) || options.Runs < 1 || options.WarmupRuns < 0 || options.LoadSeconds < 2)
            throw new ArgumentException("--sizes must be 1 to 5000, --runs positive, --load-seconds at least 2.");
        return options;
    }
}

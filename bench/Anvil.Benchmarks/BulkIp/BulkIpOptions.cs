namespace Anvil.Benchmarks.BulkIp;

/// <summary><c>bulk-ip [--count 1000] [--runs 10] [--warmup 2] [--anvild PATH]</c>.</summary>
internal sealed record BulkIpOptions
{
    public int Count { get; init; } = 1000;
    public int Runs { get; init; } = 10;
    public int WarmupRuns { get; init; } = 2;
    /// <summary>The anvild executable (apphost or .dll); found in the repository's build output when null.</summary>
    public string? Anvild { get; init; }

    public static BulkIpOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BulkIpOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--count" => options with { Count = int.Parse(value) },
                "--runs" => options with { Runs = int.Parse(value) },
                "--warmup" => options with { WarmupRuns = int.Parse(value) },
                "--anvild" => options with { Anvild = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --count N --runs N --warmup N --anvild PATH."),
            };
            i++;
        }

        if (options.Count is < 1 or > 3000 || options.Runs < 1 || options.WarmupRuns < 0)
            throw new ArgumentException("--count must be 1 to 3000 (the subnet holds ~3,700 free addresses), --runs positive.");
        return options;
    }
}

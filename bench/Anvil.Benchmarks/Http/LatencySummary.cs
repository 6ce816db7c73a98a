namespace Anvil.Benchmarks.Http;

/// <summary>Order statistics of a set of request latencies, in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double Min, double Median, double P95, double Max)
{
    public static LatencySummary Of(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
            throw new BenchmarkFailedException("no samples were taken.");
        return new LatencySummary(sorted.Length, sorted[0], MedianOf(sorted), NearestRank(sorted, 0.95), sorted[^1]);
    }

    private static double MedianOf(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static double NearestRank(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}

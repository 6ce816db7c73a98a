namespace Anvil.Benchmarks.Http;

/// <summary>One full-listing measurement: who answered, how many machines, how fast, how big.</summary>
internal sealed record ListingResult(string Subject, int Machines, LatencySummary Latency, long ResponseBytes);

/// <summary>The GET-one-machine throughput run.</summary>
internal sealed record ItemResult(int Machines, int Clients, TimeSpan Duration, LatencySummary Latency, long ResponseBytes)
{
    public double RequestsPerSecond => Latency.Count / Duration.TotalSeconds;
}

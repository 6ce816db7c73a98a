namespace Anvil.Rack.RegionLink;

/// <summary>Exponential back-off with full jitter between reconnect attempts, reset by a success.</summary>
internal sealed class Backoff(TimeSpan min, TimeSpan max)
{
    private int failures;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 20)));
        failures++;
        return TimeSpan.FromMilliseconds(min.TotalMilliseconds + (Random.Shared.NextDouble() * (ceiling - min.TotalMilliseconds)));
    }

    public void Reset() => failures = 0;

    public int Failures => failures;
}

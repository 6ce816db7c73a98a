namespace Anvil.Testing;

/// <summary>
/// A clock that moves only when a test moves it, so deadlines (status timeouts, token expiry)
/// can be crossed without waiting. Safe to read from concurrent requests.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    /// <summary>A clock starting at the real current time, so signed requests stay within OAuth's window.</summary>
    public ManualTimeProvider()
        : this(TimeProvider.System.GetUtcNow())
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);

    public void SetUtcNow(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);
}

namespace Anvil.Testing;

/// <summary>
/// A clock that moves only when a test moves it, so deadlines (status timeouts, token expiry)
/// can be crossed without waiting. Safe to read from concurrent requests. With
/// <see cref="ControlsTimers"/> its timers (<c>Task.Delay</c>, <c>PeriodicTimer</c>) fire only when
/// <see cref="Advance"/> passes their due time; otherwise they run on real time as before.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private long _utcTicks = start.UtcTicks;

    /// <summary>A clock starting at the real current time, so signed requests stay within OAuth's window.</summary>
    public ManualTimeProvider()
        : this(TimeProvider.System.GetUtcNow())
    {
    }

    /// <summary>Timers created from now on wait for <see cref="Advance"/> instead of real time.</summary>
    public bool ControlsTimers { get; init; }

    /// <summary>Timers waiting for the clock to reach them.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_timers)
                return _timers.Count(t => t.Due is not null);
        }
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock on and fires, in due order, every timer the move passes.</summary>
    public void Advance(TimeSpan by)
    {
        var target = Interlocked.Add(ref _utcTicks, by.Ticks);
        while (true)
        {
            ManualTimer? next;
            lock (_timers)
            {
                next = _timers.Where(t => t.Due <= target).OrderBy(t => t.Due).FirstOrDefault();
                next?.Reschedule();
            }

            if (next is null)
                return;
            next.Invoke();
        }
    }

    public void SetUtcNow(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!ControlsTimers)
            return base.CreateTimer(callback, state, dueTime, period);
        var timer = new ManualTimer(this, callback, state);
        lock (_timers)
            _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan period = Timeout.InfiniteTimeSpan;

        /// <summary>Clock ticks at which the timer fires next; null when stopped.</summary>
        public long? Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._timers)
            {
                this.period = period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow().UtcTicks + Math.Max(0, dueTime.Ticks);
            }

            if (dueTime == TimeSpan.Zero)
                clock.Advance(TimeSpan.Zero);
            return true;
        }

        /// <summary>Called under the clock's lock as the timer fires: the next due time, if it repeats.</summary>
        public void Reschedule() =>
            Due = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? null : Due + period.Ticks;

        public void Invoke() => callback(state);

        public void Dispose()
        {
            lock (clock._timers)
            {
                Due = null;
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

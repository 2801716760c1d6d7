namespace Telecare.Gateway.Tests.Support;

/// <summary>A clock the test moves by hand. Timers created from it fire when <see cref="Advance"/> passes them.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).ToList();
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    /// <summary>
    /// Moves the clock in steps until the condition holds. A background loop may register its next wait just after a
    /// jump, so time is moved in steps, as it passes in life, and each step gives the loop a moment.
    /// </summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan limit, string what, int stepSeconds = 1)
    {
        var until = GetUtcNow() + limit;
        while (!condition())
        {
            if (GetUtcNow() >= until)
            {
                throw new TimeoutException($"{what} did not happen within {limit} of clock time");
            }

            Advance(TimeSpan.FromSeconds(stepSeconds));
            var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(25);
            while (!condition() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
        }
    }

    /// <summary>Moves the clock in steps to <paramref name="at"/>, giving background loops a moment at each step.</summary>
    public async Task AdvanceToAsync(DateTimeOffset at, int stepSeconds = 60)
    {
        while (GetUtcNow() < at)
        {
            var step = TimeSpan.FromSeconds(Math.Min(stepSeconds, (at - GetUtcNow()).TotalSeconds));
            Advance(step);
            await Task.Delay(5);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;

        public DateTimeOffset DueAt { get; private set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : owner._now + dueTime;
                if (!owner._timers.Contains(this))
                {
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Fire()
        {
            lock (owner._gate)
            {
                DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? DateTimeOffset.MaxValue : owner._now + _period;
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

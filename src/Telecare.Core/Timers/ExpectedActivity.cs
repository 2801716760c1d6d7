using Telecare.Core.Triage;

namespace Telecare.Core.Timers;

public enum ExpectedActivityKind
{
    /// <summary>"No movement by 10:00": nothing seen between From and By today.</summary>
    NoMovementBy = 1,

    /// <summary>"Out of bed for more than 30 minutes between 22:00 and 07:00".</summary>
    OutOfBedLongerThan = 2,
}

/// <summary>
/// One expected-activity rule for a resident (activity monitoring, e.g. for a person with dementia).
/// Build with <see cref="NoMovementBy"/> or <see cref="OutOfBedLongerThan"/>; times are local to the
/// configured time zone.
/// </summary>
public sealed record ExpectedActivity
{
    private ExpectedActivity(string name, ExpectedActivityKind kind, TriagePriority priority)
    {
        Name = name;
        Kind = kind;
        Priority = priority;
    }

    /// <summary>Recorded on the wellbeing call as its rule name.</summary>
    public string Name { get; }

    public ExpectedActivityKind Kind { get; }

    public TriagePriority Priority { get; }

    /// <summary>NoMovementBy: movement before this minute of the day (e.g. a 02:00 toilet trip) does not count as getting up.</summary>
    public int FromMinute { get; private init; }

    /// <summary>NoMovementBy: the deadline, minute of the day.</summary>
    public int ByMinute { get; private init; }

    /// <summary>OutOfBedLongerThan: how long out of bed is too long.</summary>
    public TimeSpan Limit { get; private init; }

    /// <summary>OutOfBedLongerThan: the night the rule watches.</summary>
    public LocalTimeWindow Window { get; private init; }

    /// <param name="from">"HH:mm": movement from then on counts (default "05:00").</param>
    /// <param name="by">"HH:mm": the deadline, after <paramref name="from"/> on the same day.</param>
    public static ExpectedActivity NoMovementBy(string name, string by, string from = "05:00", TriagePriority priority = TriagePriority.P2)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!LocalTimeWindow.TryParseClock(by, out var byMinute))
        {
            throw new ArgumentException($"expected activity '{name}': By '{by}' is not HH:mm", nameof(by));
        }

        if (!LocalTimeWindow.TryParseClock(from, out var fromMinute) || fromMinute >= byMinute)
        {
            throw new ArgumentException($"expected activity '{name}': From '{from}' must be HH:mm before By '{by}'", nameof(from));
        }

        return new ExpectedActivity(name, ExpectedActivityKind.NoMovementBy, priority) { FromMinute = fromMinute, ByMinute = byMinute };
    }

    /// <param name="window">"HH:mm-HH:mm", e.g. "22:00-07:00"; the limit must fit inside it.</param>
    public static ExpectedActivity OutOfBedLongerThan(string name, TimeSpan limit, string window, TriagePriority priority = TriagePriority.P2)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!LocalTimeWindow.TryParse(window, out var w, out var reason))
        {
            throw new ArgumentException($"expected activity '{name}': window {reason}", nameof(window));
        }

        if (limit <= TimeSpan.Zero || limit >= w.Length)
        {
            throw new ArgumentException($"expected activity '{name}': limit {limit} must be positive and shorter than the window {window}", nameof(limit));
        }

        return new ExpectedActivity(name, ExpectedActivityKind.OutOfBedLongerThan, priority) { Limit = limit, Window = w };
    }
}

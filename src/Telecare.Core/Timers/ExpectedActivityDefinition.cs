using Telecare.Core.Triage;

namespace Telecare.Core.Timers;

/// <summary>
/// An expected-activity rule as stored or configured (plain settable properties), e.g.
/// <c>{ "Name": "up-by-ten", "Kind": "NoMovementBy", "By": "10:00" }</c> or
/// <c>{ "Name": "night-wander", "Kind": "OutOfBedLongerThan", "Limit": "00:30:00", "Window": "22:00-07:00" }</c>.
/// </summary>
public sealed class ExpectedActivityDefinition
{
    public string? Name { get; set; }

    public string? Kind { get; set; }

    public string? By { get; set; }

    public string? From { get; set; }

    public TimeSpan? Limit { get; set; }

    public string? Window { get; set; }

    public string? Priority { get; set; }

    /// <summary>Validates and builds the rule; a bad definition throws <see cref="ArgumentException"/> naming the rule and field.</summary>
    public ExpectedActivity ToExpectedActivity()
    {
        var name = string.IsNullOrWhiteSpace(Name) ? throw new ArgumentException("expected activity: Name is required") : Name.Trim();
        var priority = TriagePriority.P2;
        if (Priority is not null)
        {
            var p = Priority.Trim();
            if (p.Length != 2 || (p[0] != 'P' && p[0] != 'p') || p[1] is < '1' or > '5')
            {
                throw new ArgumentException($"expected activity '{name}': Priority '{Priority}' is not P1..P5");
            }

            priority = (TriagePriority)(p[1] - '0');
        }

        if (string.Equals(Kind, nameof(ExpectedActivityKind.NoMovementBy), StringComparison.OrdinalIgnoreCase))
        {
            return By is null
                ? throw new ArgumentException($"expected activity '{name}': By is required for NoMovementBy")
                : ExpectedActivity.NoMovementBy(name, By, From ?? "05:00", priority);
        }

        if (string.Equals(Kind, nameof(ExpectedActivityKind.OutOfBedLongerThan), StringComparison.OrdinalIgnoreCase))
        {
            return Limit is null || Window is null
                ? throw new ArgumentException($"expected activity '{name}': Limit and Window are required for OutOfBedLongerThan")
                : ExpectedActivity.OutOfBedLongerThan(name, Limit.Value, Window, priority);
        }

        throw new ArgumentException($"expected activity '{name}': Kind '{Kind}' is not NoMovementBy or OutOfBedLongerThan");
    }
}

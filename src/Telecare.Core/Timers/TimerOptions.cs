namespace Telecare.Core.Timers;

/// <summary>Targets the timers watch. Bindable from configuration; the defaults are the industry's answer targets (60 s warn, 180 s escalate).</summary>
public sealed class TimerOptions
{
    /// <summary>An unanswered call warns the console after this long (TSA: 97.5% within 60 s).</summary>
    public TimeSpan AnswerWarning { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>An unanswered call escalates to supervisors after this long (TSA: 99% within 180 s).</summary>
    public TimeSpan AnswerEscalation { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>An assigned responder who has not accepted by then: suggest another.</summary>
    public TimeSpan ResponderAccept { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>From the alarm to a responder on scene, unless the zone has its own target.</summary>
    public TimeSpan Attendance { get; set; } = TimeSpan.FromMinutes(45);

    /// <summary>Per-zone attendance targets, by zone name (case-insensitive).</summary>
    public Dictionary<string, TimeSpan> AttendanceByZone { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Slack after a device's check-in interval before it counts as offline (a late heartbeat is not a fault).</summary>
    public TimeSpan CheckInTolerance { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan AttendanceFor(string? zone)
    {
        if (zone is not null)
        {
            foreach (var (name, target) in AttendanceByZone)
            {
                if (string.Equals(name, zone, StringComparison.OrdinalIgnoreCase))
                {
                    return target;
                }
            }
        }

        return Attendance;
    }
}

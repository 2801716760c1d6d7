using Telecare.Core.Calls;
using Telecare.Core.Timers;
using Telecare.Core.Triage;

namespace Telecare.Core.Reports;

public sealed class KpiOptions
{
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>Attendances whose arrival falls in this local window count as night attendances.</summary>
    public LocalTimeWindow NightWindow { get; init; } = new(22 * 60, 7 * 60);

    public TimeSpan AnswerTarget { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan AnswerTargetOuter { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Attendance targets per zone (the same ones the timers use).</summary>
    public TimerOptions Targets { get; init; } = new();

    public CallOutcomeCatalog Outcomes { get; init; } = CallOutcomeCatalog.Default;
}

using Telecare.Core.Triage;

namespace Telecare.Core.Reports;

/// <summary>
/// Figures for one period (and optionally one zone). Shares are 0..1 and null when there is nothing to
/// divide by; percentiles are nearest-rank over answered calls.
/// </summary>
public sealed record KpiReport
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public string? Zone { get; init; }

    /// <summary>Alarm signals received (new conditions, not restores, not technical or routine events).</summary>
    public int Alarms { get; init; }

    /// <summary>Alarm and wellbeing calls raised (technical calls are counted as faults instead).</summary>
    public int Calls { get; init; }

    public required IReadOnlyDictionary<TriagePriority, int> CallsByPriority { get; init; }
    public required IReadOnlyDictionary<string, int> CallsByOutcome { get; init; }

    public int Answered { get; init; }

    /// <summary>Of all calls raised; a call never answered counts as outside the target.</summary>
    public double? AnsweredWithinTargetShare { get; init; }
    public double? AnsweredWithinOuterTargetShare { get; init; }
    public TimeSpan? AnswerP50 { get; init; }
    public TimeSpan? AnswerP90 { get; init; }

    /// <summary>Calls with a responder on scene; attendance time runs from the alarm to arrival.</summary>
    public int Attendances { get; init; }
    public double? AttendanceWithinTargetShare { get; init; }

    /// <summary>Attendances arriving between 22:00 and 07:00 local.</summary>
    public int NightAttendances { get; init; }

    public int TechnicalFaults { get; init; }

    /// <summary>Distinct devices reported offline.</summary>
    public int DevicesOffline { get; init; }

    public int FalseAlarms { get; init; }
}

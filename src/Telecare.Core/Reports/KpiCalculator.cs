using Telecare.Core.Calls;
using Telecare.Core.Signals;
using Telecare.Core.Triage;

namespace Telecare.Core.Reports;

/// <summary>KPI arithmetic over plain records (the figures the README's "Reports" lists). Periods are half-open: [from, to).</summary>
public static class KpiCalculator
{
    private static readonly HashSet<string> AlarmEvents = new(StringComparer.Ordinal)
    {
        EventTypes.PendantPress, EventTypes.FallDetected, EventTypes.Medical, EventTypes.SmokeAlarm, EventTypes.HeatAlarm,
        EventTypes.CoAlarm, EventTypes.GasAlarm, EventTypes.FloodAlarm, EventTypes.TemperatureLow, EventTypes.TemperatureHigh,
        EventTypes.DoorExit, EventTypes.BedAbsent, EventTypes.ChairAbsent, EventTypes.Inactivity,
    };

    public static bool IsAlarmEvent(string eventType) => AlarmEvents.Contains(eventType);

    public static KpiReport Compute(
        IEnumerable<KpiCallRecord> calls,
        IEnumerable<KpiSignalRecord> signals,
        DateTimeOffset from,
        DateTimeOffset to,
        string? zone = null,
        KpiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(signals);
        if (to <= from)
        {
            throw new ArgumentException($"the period must end after it starts ({from:u} .. {to:u})", nameof(to));
        }

        options ??= new KpiOptions();
        bool InPeriod(DateTimeOffset t) => t >= from && t < to;
        bool InZone(string? z) => zone is null || string.Equals(z, zone, StringComparison.OrdinalIgnoreCase);

        var byPriority = new SortedDictionary<TriagePriority, int>();
        var byOutcome = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var answerTimes = new List<TimeSpan>();
        int callCount = 0, within = 0, withinOuter = 0, attendances = 0, attendedInTarget = 0, night = 0, technical = 0, falseAlarms = 0;

        foreach (var c in calls)
        {
            if (!InPeriod(c.RaisedAt) || !InZone(c.Zone))
            {
                continue;
            }

            if (c.Kind == CallKind.Technical)
            {
                technical++;
                continue;
            }

            callCount++;
            byPriority[c.Priority] = byPriority.GetValueOrDefault(c.Priority) + 1;
            if (c.Outcome is { } outcome)
            {
                byOutcome[outcome] = byOutcome.GetValueOrDefault(outcome) + 1;
                if (options.Outcomes.TryGet(outcome, out var known) && known.IsFalseAlarm)
                {
                    falseAlarms++;
                }
            }

            if (c.AnsweredAt is { } answered)
            {
                var wait = answered - c.RaisedAt;
                answerTimes.Add(wait);
                within += wait <= options.AnswerTarget ? 1 : 0;
                withinOuter += wait <= options.AnswerTargetOuter ? 1 : 0;
            }

            if (c.OnSceneAt is { } onScene)
            {
                attendances++;
                attendedInTarget += onScene - c.RaisedAt <= options.Targets.AttendanceFor(c.Zone) ? 1 : 0;
                night += options.NightWindow.Contains(onScene, options.TimeZone) ? 1 : 0;
            }
        }

        int alarms = 0;
        var offline = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in signals)
        {
            if (!InPeriod(s.ReceivedAt) || !InZone(s.Zone) || s.Restore)
            {
                continue;
            }

            if (AlarmEvents.Contains(s.EventType))
            {
                alarms++;
            }
            else if (s.EventType == EventTypes.DeviceOffline && s.DeviceRef is not null)
            {
                offline.Add(s.DeviceRef);
            }
        }

        answerTimes.Sort();
        return new KpiReport
        {
            From = from,
            To = to,
            Zone = zone,
            Alarms = alarms,
            Calls = callCount,
            CallsByPriority = byPriority,
            CallsByOutcome = byOutcome,
            Answered = answerTimes.Count,
            AnsweredWithinTargetShare = Share(within, callCount),
            AnsweredWithinOuterTargetShare = Share(withinOuter, callCount),
            AnswerP50 = Percentile(answerTimes, 0.50),
            AnswerP90 = Percentile(answerTimes, 0.90),
            Attendances = attendances,
            AttendanceWithinTargetShare = Share(attendedInTarget, attendances),
            NightAttendances = night,
            TechnicalFaults = technical,
            DevicesOffline = offline.Count,
            FalseAlarms = falseAlarms,
        };
    }

    /// <summary>Nearest-rank percentile of a sorted list: the smallest value with at least p of the values at or below it.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    private static double? Share(int part, int whole) => whole == 0 ? null : (double)part / whole;
}

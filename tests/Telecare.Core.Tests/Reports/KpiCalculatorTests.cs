using Telecare.Core.Calls;
using Telecare.Core.Reports;
using Telecare.Core.Signals;
using Telecare.Core.Timers;
using Telecare.Core.Triage;

namespace Telecare.Core.Tests.Reports;

public sealed class KpiCalculatorTests
{
    // 22 November is GMT, so UTC times read as local times.
    private static readonly DateTimeOffset Day = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int h, int m = 0) => Day.AddHours(h).AddMinutes(m);

    private static KpiCallRecord C(long id, TriagePriority p, DateTimeOffset raised, int? answerSeconds, int? onSceneMinutes, string? outcome, string zone = "Devizes", CallKind kind = CallKind.Alarm) =>
        new(id, zone, p, kind, raised, answerSeconds is { } a ? raised.AddSeconds(a) : null, onSceneMinutes is { } o ? raised.AddMinutes(o) : null, outcome);

    private static readonly KpiCallRecord[] CallsData =
    [
        C(1, TriagePriority.P1, At(3), 20, 30, CallOutcomeCatalog.LiftedNoInjury),
        C(2, TriagePriority.P1, At(10), 45, 50, CallOutcomeCatalog.AmbulanceCalled),
        C(3, TriagePriority.P2, At(12), 90, null, CallOutcomeCatalog.FalseAlarm),
        C(4, TriagePriority.P3, At(14), 200, null, CallOutcomeCatalog.NoAssistanceNeeded),
        C(5, TriagePriority.P1, At(23), 60, 40, CallOutcomeCatalog.ResidentAssisted, zone: "Tisbury"),
        C(6, TriagePriority.P2, At(15), null, null, null),
        C(7, TriagePriority.P3, At(9), 10, null, CallOutcomeCatalog.AccidentalActivation, kind: CallKind.Wellbeing),
        C(8, TriagePriority.P3, At(5), 5, null, null, kind: CallKind.Technical),
        C(9, TriagePriority.P3, At(-1), 5, null, null, kind: CallKind.Technical),
        C(10, TriagePriority.P1, At(24), 5, 10, CallOutcomeCatalog.ResidentAssisted),
    ];

    private static readonly KpiSignalRecord[] SignalsData =
    [
        new(EventTypes.PendantPress, false, At(3), "Devizes", "p-1"),
        new(EventTypes.PendantPress, true, At(3, 1), "Devizes", "p-1"),
        new(EventTypes.FallDetected, false, At(10), "Devizes", "f-1"),
        new(EventTypes.DeviceHeartbeat, false, At(11), "Devizes", "hub-1"),
        new(EventTypes.DeviceOffline, false, At(5), "Devizes", "hub-1"),
        new(EventTypes.DeviceOffline, false, At(6), "Devizes", "hub-1"),
        new(EventTypes.DeviceOffline, false, At(7), "Devizes", "hub-2"),
        new(EventTypes.DeviceOffline, true, At(8), "Devizes", "hub-3"),
        new(EventTypes.SmokeAlarm, false, At(-2), "Devizes", "s-1"),
        new(EventTypes.BedAbsent, false, At(23), "Tisbury", "b-1"),
    ];

    private static readonly KpiOptions Options = new()
    {
        Targets = new TimerOptions { AttendanceByZone = { ["Tisbury"] = TimeSpan.FromMinutes(30) } },
    };

    [Fact]
    public void Daily_figures_for_a_hand_built_day()
    {
        var r = KpiCalculator.Compute(CallsData, SignalsData, Day, Day.AddDays(1), options: Options);

        Assert.Equal(3, r.Alarms);
        Assert.Equal(7, r.Calls);
        Assert.Equal(new Dictionary<TriagePriority, int> { [TriagePriority.P1] = 3, [TriagePriority.P2] = 2, [TriagePriority.P3] = 2 }, r.CallsByPriority);
        Assert.Equal(6, r.CallsByOutcome.Values.Sum());
        Assert.Equal(1, r.CallsByOutcome[CallOutcomeCatalog.FalseAlarm]);
        Assert.Equal(6, r.Answered);

        // Answered in 10, 20, 45, 60, 90, 200 s; call 6 never answered counts against the target.
        Assert.Equal(4.0 / 7, r.AnsweredWithinTargetShare!.Value, 9);
        Assert.Equal(5.0 / 7, r.AnsweredWithinOuterTargetShare!.Value, 9);
        Assert.Equal(TimeSpan.FromSeconds(45), r.AnswerP50);
        Assert.Equal(TimeSpan.FromSeconds(200), r.AnswerP90);

        // On scene after 30 (Devizes, 45 target), 50 (late), 40 (Tisbury, 30 target: late).
        Assert.Equal(3, r.Attendances);
        Assert.Equal(1.0 / 3, r.AttendanceWithinTargetShare!.Value, 9);
        Assert.Equal(2, r.NightAttendances);

        Assert.Equal(1, r.TechnicalFaults);
        Assert.Equal(2, r.DevicesOffline);
        Assert.Equal(2, r.FalseAlarms);
    }

    [Fact]
    public void Zone_filter_and_empty_periods()
    {
        var tisbury = KpiCalculator.Compute(CallsData, SignalsData, Day, Day.AddDays(1), "tisbury", Options);
        Assert.Equal((1, 1, 1, 1), (tisbury.Calls, tisbury.Alarms, tisbury.Attendances, tisbury.NightAttendances));
        Assert.Equal(0.0, tisbury.AttendanceWithinTargetShare);

        var empty = KpiCalculator.Compute(CallsData, SignalsData, Day.AddDays(5), Day.AddDays(6));
        Assert.Equal(0, empty.Calls);
        Assert.Null(empty.AnsweredWithinTargetShare);
        Assert.Null(empty.AnswerP50);
        Assert.Empty(empty.CallsByPriority);

        Assert.Throws<ArgumentException>(() => KpiCalculator.Compute([], [], Day, Day));
    }

    [Fact]
    public void Night_attendance_uses_local_time_in_summer()
    {
        // 21:30 UTC in July is 22:30 BST: a night attendance; 06:30 UTC is 07:30 BST: not.
        var july = new DateTimeOffset(2026, 7, 10, 0, 0, 0, TimeSpan.Zero);
        KpiCallRecord[] calls =
        [
            C(1, TriagePriority.P1, july.AddHours(21), 10, 30, null),
            C(2, TriagePriority.P1, july.AddHours(6), 10, 30, null),
        ];
        Assert.Equal(1, KpiCalculator.Compute(calls, [], july, july.AddDays(1)).NightAttendances);
    }

    [Fact]
    public void Record_from_a_call_uses_resolve_time_when_resolved_without_a_claim()
    {
        var raised = Day.AddHours(2);
        var call = Call.Manual("r", "Wilton", TriagePriority.P2, "x", Actor.Handler("ann"), raised);
        var resolved = CallTransitions.TryApply(call, new CallCommand(CallAction.Resolve, Actor.Handler("ann"), raised.AddSeconds(30)) { Outcome = CallOutcomeCatalog.NoAssistanceNeeded });
        Assert.True(resolved.Succeeded);
        var record = KpiRecord(resolved.Call);
        Assert.Equal(raised.AddSeconds(30), record.AnsweredAt);
        Assert.Equal(CallOutcomeCatalog.NoAssistanceNeeded, record.Outcome);
        Assert.Null(KpiRecord(call).AnsweredAt);
    }

    private static KpiCallRecord KpiRecord(Call call) => KpiCallRecord.From(call);

    [Fact]
    public void Nearest_rank_percentiles()
    {
        TimeSpan[] ten = Enumerable.Range(1, 10).Select(i => TimeSpan.FromSeconds(i)).ToArray();
        Assert.Equal(TimeSpan.FromSeconds(5), KpiCalculator.Percentile(ten, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(9), KpiCalculator.Percentile(ten, 0.9));
        Assert.Equal(TimeSpan.FromSeconds(1), KpiCalculator.Percentile(ten, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(10), KpiCalculator.Percentile(ten, 1.0));
    }
}

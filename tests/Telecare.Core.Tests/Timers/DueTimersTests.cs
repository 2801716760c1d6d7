using Telecare.Core.Calls;
using Telecare.Core.Signals;
using Telecare.Core.Tests.Support;
using Telecare.Core.Timers;
using Telecare.Core.Triage;

namespace Telecare.Core.Tests.Timers;

public sealed class DueTimersTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    // 03:12 on a winter night (GMT, so UTC equals local).
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 12, 0, TimeSpan.Zero);

    private static readonly Actor Ann = Actor.Handler("ann");

    private static (ManualTimeProvider Clock, DueTimers Timers) Create(DateTimeOffset start, TimerOptions? options = null)
    {
        var clock = new ManualTimeProvider(start);
        return (clock, new DueTimers(options ?? new TimerOptions(), London, clock));
    }

    private static Call RaiseCall(DateTimeOffset at, string zone = "Devizes", long id = 1) =>
        Call.FromSignal(
            new StoredSignal(id, SignalSource.Mqtt, "pendant-1", EventTypes.PendantPress, false, at, at, null, null, null),
            new TriageDecision(TriagePriority.P1, TriageAction.RaiseCall, "personal-alarm", "press", false),
            new TriageEnrichment { DeviceKnown = true, ResidentId = "res-1", Zone = zone }) with { Id = id };

    private static Call Do(Call call, CallCommand command)
    {
        var r = CallTransitions.TryApply(call, command);
        Assert.True(r.Succeeded, r.Error?.ToString());
        return r.Call;
    }

    private static TimerSnapshot Calls(params Call[] calls) => new(calls, [], []);

    [Fact]
    public void Unanswered_call_warns_at_60_s_then_escalates_at_180_s_once_each()
    {
        var (clock, timers) = Create(T0);
        var call = RaiseCall(T0);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(timers.Collect(Calls(call)));
        Assert.Equal(T0.AddSeconds(60), timers.NextDueAt(Calls(call), timers.Now));

        clock.Advance(TimeSpan.FromSeconds(1));
        var warning = Assert.Single(timers.Collect(Calls(call)));
        Assert.Equal((DueTimerKind.AnswerWarning, 1L, T0.AddSeconds(60)), (warning.Kind, warning.CallId!.Value, warning.DueAt));

        // Recording the breach on the call is what stops it firing again.
        call = Do(call, warning.ToBreachCommand());
        Assert.Empty(timers.Collect(Calls(call)));
        Assert.Equal(T0.AddSeconds(180), timers.NextDueAt(Calls(call), timers.Now));

        clock.Advance(TimeSpan.FromSeconds(120));
        var escalation = Assert.Single(timers.Collect(Calls(call)));
        Assert.Equal(DueTimerKind.AnswerEscalation, escalation.Kind);
        call = Do(call, escalation.ToBreachCommand());
        Assert.Equal(CallBreaches.AnswerWarning | CallBreaches.AnswerEscalation, call.Breaches);
        Assert.Empty(timers.Collect(Calls(call)));
    }

    [Fact]
    public void Answering_in_time_stops_the_answer_timers()
    {
        var (clock, timers) = Create(T0);
        var call = Do(RaiseCall(T0), new CallCommand(CallAction.Answer, Ann, T0.AddSeconds(30)));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(timers.Collect(Calls(call)));
        Assert.Null(timers.NextDueAt(Calls(call), timers.Now));
    }

    [Fact]
    public void After_a_restart_a_call_that_waited_long_gets_both_breaches_in_order()
    {
        var (clock, _) = Create(T0);
        var call = RaiseCall(T0);
        clock.Advance(TimeSpan.FromMinutes(5));

        // A fresh instance (a restarted gateway) over the state rebuilt from the store.
        var timers = new DueTimers(new TimerOptions(), London, clock);
        var due = timers.Collect(Calls(call));
        Assert.Equal([DueTimerKind.AnswerWarning, DueTimerKind.AnswerEscalation], due.Select(d => d.Kind));
    }

    [Fact]
    public void Responder_accept_and_zone_attendance_targets()
    {
        var options = new TimerOptions { AttendanceByZone = { ["tisbury"] = TimeSpan.FromMinutes(30) } };
        var (clock, timers) = Create(T0, options);
        var call = Do(RaiseCall(T0, zone: "Tisbury"), new CallCommand(CallAction.Answer, Ann, T0.AddSeconds(20)));
        call = Do(call, new CallCommand(CallAction.AssignResponder, Ann, T0.AddMinutes(1)) { ResponderId = "rita" });

        clock.Advance(TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(1));
        Assert.Empty(timers.Collect(Calls(call)));
        clock.Advance(TimeSpan.FromSeconds(1));
        var accept = Assert.Single(timers.Collect(Calls(call)));
        Assert.Equal((DueTimerKind.ResponderAcceptOverdue, T0.AddMinutes(6)), (accept.Kind, accept.DueAt));
        call = Do(call, accept.ToBreachCommand());

        call = Do(call, new CallCommand(CallAction.Accept, Actor.Responder("rita"), timers.Now));
        call = Do(call, new CallCommand(CallAction.EnRoute, Actor.Responder("rita"), timers.Now));
        Assert.Equal(T0.AddMinutes(30), timers.NextDueAt(Calls(call), timers.Now));

        clock.Advance(T0.AddMinutes(30) - timers.Now);
        var attendance = Assert.Single(timers.Collect(Calls(call)));
        Assert.Equal(DueTimerKind.AttendanceOverdue, attendance.Kind);
        Assert.Contains("30 min", attendance.Reason, StringComparison.Ordinal);

        // Default target elsewhere.
        Assert.Equal(TimeSpan.FromMinutes(45), options.AttendanceFor("Devizes"));
    }

    [Fact]
    public void Arrival_before_the_target_means_no_attendance_breach()
    {
        var (clock, timers) = Create(T0);
        var call = Do(RaiseCall(T0), new CallCommand(CallAction.Answer, Ann, T0));
        call = Do(call, new CallCommand(CallAction.AssignResponder, Ann, T0) { ResponderId = "rita" });
        call = Do(call, new CallCommand(CallAction.Accept, Actor.Responder("rita"), T0.AddMinutes(1)));
        call = Do(call, new CallCommand(CallAction.Arrive, Actor.Responder("rita"), T0.AddMinutes(40)));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Empty(timers.Collect(Calls(call)));
    }

    [Fact]
    public void Missed_check_in_becomes_a_device_offline_signal_once()
    {
        var (clock, timers) = Create(T0);
        var device = new DeviceCheckIn("hub-4", T0, TimeSpan.FromMinutes(15), ResidentId: "res-1");
        var state = new TimerSnapshot([], [device], []);

        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Empty(timers.Collect(state));
        Assert.Equal(T0.AddMinutes(15).AddSeconds(30), timers.NextDueAt(state, timers.Now));

        clock.Advance(TimeSpan.FromSeconds(30));
        var missed = Assert.Single(timers.Collect(state));
        Assert.Equal(DueTimerKind.DeviceCheckInMissed, missed.Kind);
        var signal = missed.ToOfflineSignal();
        Assert.Equal((SignalSource.Internal, "hub-4", EventTypes.DeviceOffline), (signal.Source, signal.DeviceRef, signal.EventType));
        Assert.False(signal.RawFrame.IsEmpty);

        Assert.Empty(timers.Collect(state with { Devices = [device with { OfflineReported = true }] }));

        // A heartbeat resets the clock.
        Assert.Empty(timers.Collect(state with { Devices = [device with { LastCheckInAt = timers.Now.AddMinutes(-1) }] }));
    }

    [Fact]
    public void No_movement_by_ten_raises_a_wellbeing_call_in_local_time_once_a_day()
    {
        // 1 July: London is on BST, so 10:00 local is 09:00 UTC.
        var start = new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);
        var (clock, timers) = Create(start);
        var rule = ExpectedActivity.NoMovementBy("up-by-ten", by: "10:00", from: "05:00");
        var nightTrip = new DateTimeOffset(2026, 7, 1, 1, 0, 0, TimeSpan.Zero); // 02:00 BST: does not count as up
        var resident = new ResidentActivity("res-2", "Pewsey", [rule], LastMovementAt: nightTrip, OutOfBedSince: null);
        var state = new TimerSnapshot([], [], [resident]);

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero), timers.NextDueAt(state, timers.Now));
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(timers.Collect(state));
        clock.Advance(TimeSpan.FromMinutes(1));
        var due = Assert.Single(timers.Collect(state));
        Assert.Equal(DueTimerKind.NoMovementBy, due.Kind);

        var call = due.ToWellbeingCall();
        Assert.Equal((CallKind.Wellbeing, "up-by-ten", "res-2", EventTypes.Inactivity, CallState.Raised), (call.Kind, call.RuleName, call.ResidentId, call.EventType, call.State));

        var raised = resident with { LastRaised = new Dictionary<string, DateTimeOffset> { ["up-by-ten"] = due.Occurrence!.Value } };
        Assert.Empty(timers.Collect(state with { Residents = [raised] }));

        // Moving at 07:30 local means up in time.
        var upEarly = resident with { LastMovementAt = new DateTimeOffset(2026, 7, 1, 6, 30, 0, TimeSpan.Zero) };
        Assert.Empty(timers.Collect(state with { Residents = [upEarly] }));

        // The next day the same resident is due again.
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Single(timers.Collect(state with { Residents = [raised] }));
    }

    [Fact]
    public void Out_of_bed_more_than_30_minutes_at_night_raises_one_call()
    {
        var rule = ExpectedActivity.OutOfBedLongerThan("night-wander", TimeSpan.FromMinutes(30), "22:00-07:00");
        var since = new DateTimeOffset(2026, 1, 14, 23, 10, 0, TimeSpan.Zero);
        var (clock, timers) = Create(since);
        var resident = new ResidentActivity("res-3", "Wilton", [rule], LastMovementAt: since, OutOfBedSince: since);
        var state = new TimerSnapshot([], [], [resident]);

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Empty(timers.Collect(state));
        clock.Advance(TimeSpan.FromMinutes(1));
        var due = Assert.Single(timers.Collect(state));
        Assert.Equal((DueTimerKind.OutOfBedTooLong, since.AddMinutes(30)), (due.Kind, due.DueAt));
        Assert.Equal(EventTypes.BedAbsent, due.ToWellbeingCall().EventType);

        var raised = resident with { LastRaised = new Dictionary<string, DateTimeOffset> { ["night-wander"] = since } };
        Assert.Empty(timers.Collect(state with { Residents = [raised] }));

        // Back in bed: nothing pending.
        Assert.Null(timers.NextDueAt(state with { Residents = [resident with { OutOfBedSince = null }] }, timers.Now));
    }

    [Theory]
    [InlineData("2026-01-14T06:50:00Z", false)] // up at 06:50: by 07:20 it is morning
    [InlineData("2026-01-14T21:50:00Z", false)] // not yet gone to bed at 21:50
    [InlineData("2026-01-14T22:00:00Z", true)]
    [InlineData("2026-07-14T05:20:00Z", true)]  // 06:20 BST, 06:50 BST is still night
    [InlineData("2026-07-14T05:40:00Z", false)] // 06:40 BST, 07:10 BST is morning
    [InlineData("2026-10-25T00:50:00Z", true)]  // 01:50 BST on the night the clocks go back
    public void Out_of_bed_counts_only_inside_the_local_night(string sinceUtc, bool due)
    {
        var since = DateTimeOffset.Parse(sinceUtc, System.Globalization.CultureInfo.InvariantCulture);
        var rule = ExpectedActivity.OutOfBedLongerThan("night-wander", TimeSpan.FromMinutes(30), "22:00-07:00");
        var (clock, timers) = Create(since);
        var state = new TimerSnapshot([], [], [new ResidentActivity("res-3", null, [rule], since, since)]);
        clock.Advance(TimeSpan.FromMinutes(31));
        var items = timers.Collect(state);
        Assert.Equal(due, items.Count == 1);
        if (due)
        {
            // Elapsed time, not wall-clock arithmetic, even across the clock change.
            Assert.Equal(since.AddMinutes(30), items[0].DueAt);
        }
    }

    [Fact]
    public void Bad_expectations_are_refused_with_a_reason()
    {
        Assert.Contains("By", Assert.Throws<ArgumentException>(() => ExpectedActivity.NoMovementBy("x", by: "25:00")).Message, StringComparison.Ordinal);
        Assert.Contains("From", Assert.Throws<ArgumentException>(() => ExpectedActivity.NoMovementBy("x", by: "10:00", from: "11:00")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ExpectedActivity.OutOfBedLongerThan("x", TimeSpan.FromHours(10), "22:00-07:00"));
        Assert.Throws<ArgumentException>(() => ExpectedActivity.OutOfBedLongerThan("x", TimeSpan.FromMinutes(30), "night"));
    }

    [Fact]
    public async Task Delay_until_next_completes_when_the_clock_reaches_the_deadline()
    {
        var (clock, timers) = Create(T0);
        var state = Calls(RaiseCall(T0));
        var wait = timers.DelayUntilNextAsync(state, TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.False(wait.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(timers.Collect(state));

        // With nothing pending it waits the maximum.
        var idle = timers.DelayUntilNextAsync(TimerSnapshot.Empty, TimeSpan.FromSeconds(5), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(idle.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await idle.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

public sealed class ExpectedActivityDefinitionTests
{
    [Fact]
    public void Definitions_build_rules_or_name_what_is_wrong()
    {
        var up = new ExpectedActivityDefinition { Name = "up-by-ten", Kind = "NoMovementBy", By = "10:00" }.ToExpectedActivity();
        Assert.Equal((ExpectedActivityKind.NoMovementBy, 600, 300, TriagePriority.P2), (up.Kind, up.ByMinute, up.FromMinute, up.Priority));

        var wander = new ExpectedActivityDefinition { Name = "w", Kind = "outofbedlongerthan", Limit = TimeSpan.FromMinutes(30), Window = "22:00-07:00", Priority = "P1" }.ToExpectedActivity();
        Assert.Equal((ExpectedActivityKind.OutOfBedLongerThan, TimeSpan.FromMinutes(30), TriagePriority.P1), (wander.Kind, wander.Limit, wander.Priority));

        Assert.Contains("Kind", Assert.Throws<ArgumentException>(() => new ExpectedActivityDefinition { Name = "x", Kind = "Sleep" }.ToExpectedActivity()).Message, StringComparison.Ordinal);
        Assert.Contains("By", Assert.Throws<ArgumentException>(() => new ExpectedActivityDefinition { Name = "x", Kind = "NoMovementBy" }.ToExpectedActivity()).Message, StringComparison.Ordinal);
        Assert.Contains("Priority", Assert.Throws<ArgumentException>(() => new ExpectedActivityDefinition { Name = "x", Kind = "NoMovementBy", By = "10:00", Priority = "urgent" }.ToExpectedActivity()).Message, StringComparison.Ordinal);
    }
}

using Telecare.Core.Calls;
using Telecare.Core.Triage;

namespace Telecare.Core.Timers;

/// <summary>
/// Pure timer arithmetic: given the current state and the time, what is due and when the next thing will
/// be. Holds no timers of its own, so a restart loses nothing: the gateway rebuilds the
/// <see cref="TimerSnapshot"/> from its store and asks again. One background loop calls
/// <see cref="Collect(TimerSnapshot)"/>, acts on each item (which updates the state, e.g. a breach flag on
/// the call, so the item is not due again), then <see cref="DelayUntilNextAsync"/>.
/// </summary>
public sealed class DueTimers
{
    private readonly TimerOptions _options;
    private readonly TimeZoneInfo _timeZone;
    private readonly TimeProvider _time;

    public DueTimers(TimerOptions options, TimeZoneInfo timeZone, TimeProvider timeProvider)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeZone = timeZone ?? throw new ArgumentNullException(nameof(timeZone));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Everything due now, earliest first.</summary>
    public IReadOnlyList<DueTimer> Collect(TimerSnapshot state) => Collect(state, Now);

    /// <summary>Everything due at or before <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<DueTimer> Collect(TimerSnapshot state, DateTimeOffset now)
    {
        var due = new List<DueTimer>();
        foreach (var pending in Pending(state, now))
        {
            if (pending.DueAt <= now)
            {
                due.Add(pending);
            }
        }

        due.Sort(static (a, b) => a.DueAt.CompareTo(b.DueAt));
        return due;
    }

    /// <summary>When the next not-yet-due item falls due, or null when nothing is pending.</summary>
    public DateTimeOffset? NextDueAt(TimerSnapshot state, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var pending in Pending(state, now))
        {
            if (pending.DueAt > now && (next is null || pending.DueAt < next))
            {
                next = pending.DueAt;
            }
        }

        return next;
    }

    /// <summary>
    /// Waits on the injected clock until the next item is due, or <paramref name="maxWait"/> at most (state
    /// changes that add earlier deadlines are picked up on the next round; the gateway may also cancel the wait).
    /// </summary>
    public async Task DelayUntilNextAsync(TimerSnapshot state, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var now = Now;
        var wait = maxWait;
        if (NextDueAt(state, now) is { } next && next - now < wait)
        {
            wait = next - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private IEnumerable<DueTimer> Pending(TimerSnapshot state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var call in state.OpenCalls)
        {
            foreach (var t in ForCall(call))
            {
                yield return t;
            }
        }

        foreach (var device in state.Devices)
        {
            if (!device.OfflineReported)
            {
                var silence = device.Interval + _options.CheckInTolerance;
                yield return new DueTimer(
                    DueTimerKind.DeviceCheckInMissed,
                    device.LastCheckInAt + silence,
                    $"Device {device.DeviceRef} has not checked in since {device.LastCheckInAt:u} (interval {device.Interval}).",
                    DeviceRef: device.DeviceRef,
                    ResidentId: device.ResidentId,
                    Zone: device.Zone,
                    Occurrence: device.LastCheckInAt,
                    Priority: TriagePriority.P3);
            }
        }

        foreach (var resident in state.Residents)
        {
            foreach (var expectation in resident.Expectations)
            {
                if (ForExpectation(resident, expectation, now) is { } t)
                {
                    yield return t;
                }
            }
        }
    }

    private IEnumerable<DueTimer> ForCall(Call call)
    {
        if (!call.IsOpen)
        {
            yield break;
        }

        // Technical tickets below P2 are worked from the supervisors' list, not held to the alarm answer target.
        var answerTargets = call.Kind != CallKind.Technical || call.Priority <= TriagePriority.P2;
        if (call.State == CallState.Raised && answerTargets)
        {
            if ((call.Breaches & CallBreaches.AnswerWarning) == 0)
            {
                yield return new DueTimer(DueTimerKind.AnswerWarning, call.RaisedAt + _options.AnswerWarning,
                    $"Call {call.Id} not answered within {_options.AnswerWarning.TotalSeconds:0} s.", CallId: call.Id, ResidentId: call.ResidentId, Zone: call.Zone, Priority: call.Priority);
            }

            if ((call.Breaches & CallBreaches.AnswerEscalation) == 0)
            {
                yield return new DueTimer(DueTimerKind.AnswerEscalation, call.RaisedAt + _options.AnswerEscalation,
                    $"Call {call.Id} not answered within {_options.AnswerEscalation.TotalSeconds:0} s: escalated to supervisors.", CallId: call.Id, ResidentId: call.ResidentId, Zone: call.Zone, Priority: call.Priority);
            }
        }

        if (call.State == CallState.ResponderAssigned && call.AssignedAt is { } assignedAt && (call.Breaches & CallBreaches.ResponderAccept) == 0)
        {
            yield return new DueTimer(DueTimerKind.ResponderAcceptOverdue, assignedAt + _options.ResponderAccept,
                $"Responder {call.AssignedResponderId} has not accepted call {call.Id} within {_options.ResponderAccept.TotalMinutes:0} min: suggest another.",
                CallId: call.Id, ResidentId: call.ResidentId, Zone: call.Zone, Priority: call.Priority);
        }

        if (call.State is CallState.ResponderAssigned or CallState.ResponderAccepted or CallState.EnRoute && (call.Breaches & CallBreaches.Attendance) == 0)
        {
            var target = _options.AttendanceFor(call.Zone);
            yield return new DueTimer(DueTimerKind.AttendanceOverdue, call.RaisedAt + target,
                $"Call {call.Id}: no responder on scene within the {call.Zone ?? "default"} attendance target of {target.TotalMinutes:0} min.",
                CallId: call.Id, ResidentId: call.ResidentId, Zone: call.Zone, Priority: call.Priority);
        }
    }

    private DueTimer? ForExpectation(ResidentActivity resident, ExpectedActivity expectation, DateTimeOffset now)
    {
        DateTimeOffset? lastRaised = null;
        if (resident.LastRaised is not null && resident.LastRaised.TryGetValue(expectation.Name, out var raised))
        {
            lastRaised = raised;
        }

        switch (expectation.Kind)
        {
            case ExpectedActivityKind.NoMovementBy:
            {
                var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _timeZone).DateTime);
                var from = LocalInstant(today, expectation.FromMinute);
                var by = LocalInstant(today, expectation.ByMinute);
                if (lastRaised == by || (resident.LastMovementAt is { } moved && moved >= from))
                {
                    return null;
                }

                return new DueTimer(DueTimerKind.NoMovementBy, by,
                    $"Expected activity '{expectation.Name}': no movement seen for resident {resident.ResidentId} between {Clock(expectation.FromMinute)} and {Clock(expectation.ByMinute)}.",
                    ResidentId: resident.ResidentId, Zone: resident.Zone, ExpectationName: expectation.Name, Occurrence: by, Priority: expectation.Priority);
            }

            case ExpectedActivityKind.OutOfBedLongerThan:
            {
                if (resident.OutOfBedSince is not { } since || lastRaised == since)
                {
                    return null;
                }

                var dueAt = since + expectation.Limit;

                // Both ends inside the night: getting up at 06:50 and staying up is the morning, not a wander.
                if (!expectation.Window.Contains(since, _timeZone) || !expectation.Window.Contains(dueAt, _timeZone))
                {
                    return null;
                }

                return new DueTimer(DueTimerKind.OutOfBedTooLong, dueAt,
                    $"Expected activity '{expectation.Name}': resident {resident.ResidentId} out of bed since {since:u}, more than {expectation.Limit.TotalMinutes:0} min during {expectation.Window}.",
                    ResidentId: resident.ResidentId, Zone: resident.Zone, ExpectationName: expectation.Name, Occurrence: since, Priority: expectation.Priority);
            }

            default:
                return null;
        }
    }

    /// <summary>The instant a local wall-clock time happens on a date; a time skipped by the spring change counts from the jump.</summary>
    private DateTimeOffset LocalInstant(DateOnly date, int minuteOfDay)
    {
        var local = date.ToDateTime(new TimeOnly(minuteOfDay / 60, minuteOfDay % 60));
        while (_timeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, _timeZone.GetUtcOffset(local));
    }

    private static string Clock(int minute) => $"{minute / 60:00}:{minute % 60:00}";
}

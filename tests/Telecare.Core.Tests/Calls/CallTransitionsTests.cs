using Telecare.Core.Calls;
using Telecare.Core.Signals;
using Telecare.Core.Triage;

namespace Telecare.Core.Tests.Calls;

public sealed class CallTransitionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 12, 9, TimeSpan.Zero);
    private static readonly Actor Ann = Actor.Handler("ann");
    private static readonly Actor Bob = Actor.Handler("bob");
    private static readonly Actor Rita = Actor.Responder("rita");
    private static readonly Actor Sam = Actor.Responder("sam");

    private static Call NewCall()
    {
        var signal = new StoredSignal(41, SignalSource.Mqtt, "pendant-7", EventTypes.PendantPress, false, T0, T0, 80, null, null);
        var decision = new TriageDecision(TriagePriority.P1, TriageAction.RaiseCall, "personal-alarm", "Rule 'personal-alarm'", false);
        return Call.FromSignal(signal, decision, new TriageEnrichment { DeviceKnown = true, ResidentId = "res-1", Zone = "Devizes" }) with { Id = 7 };
    }

    private static Call Apply(Call call, CallAction action, Actor actor, int seconds, string? responder = null, string? outcome = null)
    {
        var r = CallTransitions.TryApply(call, new CallCommand(action, actor, T0.AddSeconds(seconds)) { ResponderId = responder, Outcome = outcome });
        Assert.True(r.Succeeded, r.Error?.ToString());
        Assert.Same(r.Entry, r.Call.Timeline[^1]);
        return r.Call;
    }

    private static CallError Refused(Call call, CallCommand command)
    {
        var r = CallTransitions.TryApply(call, command);
        Assert.False(r.Succeeded);
        Assert.Null(r.Call);
        return r.Error;
    }

    [Fact]
    public void Full_journey_stamps_every_step_with_actor_and_time()
    {
        var c = NewCall();
        Assert.Equal((CallState.Raised, 1, "personal-alarm", 41L), (c.State, c.Version, c.RuleName, c.TriggerSignalId!.Value));

        c = Apply(c, CallAction.Answer, Ann, 20);
        c = Apply(c, CallAction.AssignResponder, Ann, 60, responder: "rita");
        c = Apply(c, CallAction.Accept, Rita, 90);
        c = Apply(c, CallAction.EnRoute, Rita, 100);
        c = Apply(c, CallAction.Arrive, Rita, 1800);
        c = Apply(c, CallAction.Resolve, Rita, 2400, outcome: CallOutcomeCatalog.LiftedNoInjury);
        c = Apply(c, CallAction.Leave, Rita, 2500);
        c = Apply(c, CallAction.Close, Ann, 2600);

        Assert.Equal(CallState.Closed, c.State);
        Assert.False(c.IsOpen);
        Assert.Equal("ann", c.HandlerId);
        Assert.Equal(T0.AddSeconds(20), c.AnsweredAt);
        Assert.Equal(T0.AddSeconds(1800), c.OnSceneAt);
        Assert.Equal(T0.AddSeconds(2500), c.LeftAt);
        Assert.Equal(CallOutcomeCatalog.LiftedNoInjury, c.Outcome);
        Assert.Equal(9, c.Version);
        Assert.Equal(
            [CallAction.Raise, CallAction.Answer, CallAction.AssignResponder, CallAction.Accept, CallAction.EnRoute, CallAction.Arrive, CallAction.Resolve, CallAction.Leave, CallAction.Close],
            c.Timeline.Select(e => e.Action));
        Assert.Equal(Enumerable.Range(0, 9), c.Timeline.Select(e => e.Sequence));
        Assert.Equal(Rita, c.Timeline[5].Actor);
        Assert.Equal((CallState.EnRoute, CallState.OnScene), (c.Timeline[5].From, c.Timeline[5].To));
    }

    [Fact]
    public void Every_move_not_in_the_table_is_refused_and_changes_nothing()
    {
        var states = Enum.GetValues<CallState>();
        var actions = Enum.GetValues<CallAction>();
        var refused = 0;
        foreach (var state in states)
        {
            foreach (var action in actions)
            {
                if (CallTransitions.IsAllowed(state, action))
                {
                    continue;
                }

                var call = NewCall() with { State = state };
                var r = CallTransitions.TryApply(call, new CallCommand(action, Actor.Supervisor("sue"), T0)
                {
                    ResponderId = "x", Outcome = CallOutcomeCatalog.FalseAlarm, Note = "n", SignalId = 1, Breach = CallBreaches.Attendance,
                });
                Assert.False(r.Succeeded, $"{state} + {action} should be refused");
                refused++;
            }
        }

        Assert.True(refused > 50);
        Assert.False(CallTransitions.IsAllowed(CallState.OnScene, CallAction.Cancel));
        Assert.False(CallTransitions.IsAllowed(CallState.Closed, CallAction.AddNote));
        Assert.False(CallTransitions.IsAllowed(CallState.Cancelled, CallAction.Answer));
        Assert.True(CallTransitions.IsAllowed(CallState.Raised, CallAction.Resolve));
        Assert.Equal(CallState.Answered, CallTransitions.AllowedMoves[(CallState.ResponderAssigned, CallAction.Decline)]);
    }

    [Fact]
    public void Second_claim_loses_with_a_reason()
    {
        var answered = Apply(NewCall(), CallAction.Answer, Ann, 10);
        var err = Refused(answered, new CallCommand(CallAction.Answer, Bob, T0.AddSeconds(11)));
        Assert.Equal(CallError.AlreadyAnswered, err.Code);
        Assert.Contains("ann", err.Reason, StringComparison.Ordinal);

        Assert.Equal(CallError.NotAllowed, Refused(NewCall(), new CallCommand(CallAction.Answer, Rita, T0)).Code);
    }

    [Fact]
    public void Decline_returns_to_answered_and_remembers_who_declined()
    {
        var c = Apply(Apply(NewCall(), CallAction.Answer, Ann, 10), CallAction.AssignResponder, Ann, 20, responder: "rita");
        Assert.Equal(CallError.NotAssignedResponder, Refused(c, new CallCommand(CallAction.Accept, Sam, T0.AddSeconds(30))).Code);

        c = Apply(c, CallAction.Decline, Rita, 30);
        Assert.Equal(CallState.Answered, c.State);
        Assert.Null(c.AssignedResponderId);
        Assert.Equal(new[] { "rita" }, c.DeclinedBy.ToArray());

        c = Apply(c, CallAction.AssignResponder, Ann, 40, responder: "sam");
        Assert.Equal((CallState.ResponderAssigned, "sam", T0.AddSeconds(40)), (c.State, c.AssignedResponderId, c.AssignedAt!.Value));
    }

    [Fact]
    public void Reassigning_clears_the_accept_breach_and_refuses_the_same_responder()
    {
        var c = Apply(Apply(NewCall(), CallAction.Answer, Ann, 10), CallAction.AssignResponder, Ann, 20, responder: "rita");
        var breached = CallTransitions.TryApply(c, new CallCommand(CallAction.RecordBreach, Actor.System, T0.AddMinutes(6)) { Breach = CallBreaches.ResponderAccept });
        Assert.True(breached.Succeeded);
        c = breached.Call;
        Assert.Equal(CallError.AlreadyRecorded, Refused(c, new CallCommand(CallAction.RecordBreach, Actor.System, T0.AddMinutes(7)) { Breach = CallBreaches.ResponderAccept }).Code);
        Assert.Equal(CallError.InvalidTransition, Refused(c, new CallCommand(CallAction.AssignResponder, Ann, T0.AddMinutes(7)) { ResponderId = "rita" }).Code);

        c = Apply(c, CallAction.AssignResponder, Ann, 420, responder: "sam");
        Assert.Equal(CallBreaches.None, c.Breaches & CallBreaches.ResponderAccept);
        Assert.Contains("replaces rita", c.Timeline[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Phone_resolution_needs_a_known_outcome()
    {
        var c = Apply(NewCall(), CallAction.Answer, Ann, 10);
        Assert.Equal(CallError.MissingField, Refused(c, new CallCommand(CallAction.Resolve, Ann, T0.AddSeconds(50))).Code);
        Assert.Equal(CallError.UnknownOutcome, Refused(c, new CallCommand(CallAction.Resolve, Ann, T0.AddSeconds(50)) { Outcome = "went-fishing" }).Code);

        c = Apply(c, CallAction.Resolve, Ann, 50, outcome: "NO-ASSISTANCE-NEEDED");
        Assert.Equal((CallState.Resolved, CallOutcomeCatalog.NoAssistanceNeeded), (c.State, c.Outcome));

        var custom = new CallOutcomeCatalog([new("seen-by-warden", "Seen by warden")]);
        var r = CallTransitions.TryApply(Apply(NewCall(), CallAction.Answer, Ann, 10), new CallCommand(CallAction.Resolve, Ann, T0) { Outcome = "seen-by-warden" }, custom);
        Assert.True(r.Succeeded);
    }

    [Fact]
    public void Resident_cancel_keeps_the_call_open_and_cancel_is_refused_once_on_scene()
    {
        var c = NewCall();
        var r = CallTransitions.TryApply(c, new CallCommand(CallAction.MarkCancelledByResident, new Actor("pendant-7", ActorRole.Resident), T0.AddSeconds(5)));
        Assert.True(r.Succeeded);
        Assert.True(r.Call.CancelledByResident);
        Assert.True(r.Call.IsOpen);
        Assert.Equal(CallState.Raised, r.Call.State);

        var onScene = Apply(Apply(Apply(Apply(NewCall(), CallAction.Answer, Ann, 1), CallAction.AssignResponder, Ann, 2, "rita"), CallAction.Accept, Rita, 3), CallAction.Arrive, Rita, 4);
        Assert.Equal(CallError.InvalidTransition, Refused(onScene, new CallCommand(CallAction.Cancel, Ann, T0.AddSeconds(5))).Code);
        Assert.Equal(CallError.InvalidTransition, Refused(onScene, new CallCommand(CallAction.MarkCancelledByResident, Actor.System, T0.AddSeconds(5))).Code);
    }

    [Fact]
    public void Attached_signal_raises_priority_only_upwards()
    {
        var c = NewCall() with { Priority = TriagePriority.P3 };
        var up = CallTransitions.TryApply(c, new CallCommand(CallAction.AttachSignal, Actor.System, T0) { SignalId = 99, Priority = TriagePriority.P1 });
        Assert.True(up.Succeeded);
        Assert.Equal(TriagePriority.P1, up.Call.Priority);
        var down = CallTransitions.TryApply(up.Call, new CallCommand(CallAction.AttachSignal, Actor.System, T0) { SignalId = 100, Priority = TriagePriority.P4 });
        Assert.True(down.Succeeded);
        Assert.Equal(TriagePriority.P1, down.Call.Priority);
        Assert.Equal(CallError.MissingField, Refused(c, new CallCommand(CallAction.AttachSignal, Actor.System, T0)).Code);
    }

    [Fact]
    public void A_note_with_a_more_urgent_concern_raises_priority_only_upwards_and_says_so()
    {
        var c = NewCall() with { Priority = TriagePriority.P3 };
        var up = CallTransitions.TryApply(c, new CallCommand(CallAction.AddNote, Actor.System, T0) { Note = "wellbeing: no movement by 10:00", Priority = TriagePriority.P2 });
        Assert.True(up.Succeeded);
        Assert.Equal(TriagePriority.P2, up.Call.Priority);
        Assert.Equal("wellbeing: no movement by 10:00 (priority raised to P2)", up.Entry!.Detail);
        var down = CallTransitions.TryApply(up.Call, new CallCommand(CallAction.AddNote, Actor.System, T0) { Note = "later", Priority = TriagePriority.P5 });
        Assert.True(down.Succeeded);
        Assert.Equal(TriagePriority.P2, down.Call.Priority);
        Assert.Equal("later", down.Entry!.Detail);
        Assert.Equal(TriagePriority.P2, CallTransitions.TryApply(up.Call, new CallCommand(CallAction.AddNote, Ann, T0) { Note = "plain" }).Call!.Priority);
    }

    [Fact]
    public void Manual_call_is_the_same_model_marked_manual()
    {
        var c = Call.Manual("res-9", "Tisbury", TriagePriority.P2, "Daughter phoned: no answer at the door", Ann, T0);
        Assert.True(c.IsManual);
        Assert.Equal((CallState.Raised, CallKind.Alarm, "manual"), (c.State, c.Kind, c.RuleName));
        Assert.Equal(Ann, c.Timeline[0].Actor);
        Assert.Equal(CallState.Answered, Apply(c, CallAction.Answer, Ann, 1).State);
    }

    [Fact]
    public void Leave_needs_an_arrival_and_is_recorded_once()
    {
        var assigned = Apply(Apply(NewCall(), CallAction.Answer, Ann, 1), CallAction.AssignResponder, Ann, 2, "rita");
        var accepted = Apply(assigned, CallAction.Accept, Rita, 3);
        var onScene = Apply(accepted, CallAction.Arrive, Rita, 4);
        var left = Apply(onScene, CallAction.Leave, Rita, 5);
        Assert.Equal(CallState.OnScene, left.State);
        Assert.Equal(CallError.InvalidTransition, Refused(left, new CallCommand(CallAction.Leave, Rita, T0.AddSeconds(6))).Code);
    }
}

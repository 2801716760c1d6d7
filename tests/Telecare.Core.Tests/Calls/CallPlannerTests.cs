using Telecare.Core.Calls;
using Telecare.Core.Signals;
using Telecare.Core.Tests.Support;
using Telecare.Core.Triage;

namespace Telecare.Core.Tests.Calls;

/// <summary>Default rules → decision → plan → state machine, the path the gateway runs for each signal.</summary>
public sealed class CallPlannerTests
{
    private static readonly CompiledTriageRules Rules = TriageRuleCompiler.Compile(RepoFiles.DefaultTriageOptions());
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static long _nextId = 100;

    private static readonly TriageEnrichment Resident = new() { DeviceKnown = true, DeviceType = "pendant", ResidentId = "res-1", Zone = "Devizes" };

    private static StoredSignal Signal(string eventType, bool restore = false, int seconds = 0) =>
        new(Interlocked.Increment(ref _nextId), SignalSource.Mqtt, "pendant-1", eventType, restore, T0.AddSeconds(seconds), null, null, null, null);

    private static (StoredSignal Signal, CallPlan Plan) Run(string eventType, Call? open, bool restore = false, TriageEnrichment? enrichment = null, int seconds = 0)
    {
        var e = (enrichment ?? Resident) with { CallOpenForResident = open is { IsOpen: true, IsTechnical: false } };
        var s = Signal(eventType, restore, seconds);
        return (s, CallPlanner.Plan(s, Rules.Triage(s, e), e, open));
    }

    private static Call Apply(CallPlan plan)
    {
        Assert.Equal(CallPlanKind.UpdateCall, plan.Kind);
        var r = CallTransitions.TryApply(plan.Existing!, plan.Command!);
        Assert.True(r.Succeeded, r.Error?.ToString());
        return r.Call;
    }

    [Fact]
    public void Press_raises_a_call_a_second_press_attaches_and_a_cancel_marks_it()
    {
        var (first, raise) = Run(EventTypes.PendantPress, null);
        Assert.Equal(CallPlanKind.RaiseCall, raise.Kind);
        var call = raise.NewCall! with { Id = 1 };
        Assert.Equal((first.Id, "personal-alarm", TriagePriority.P1, "res-1"), (call.TriggerSignalId!.Value, call.RuleName, call.Priority, call.ResidentId!));

        var (second, attach) = Run(EventTypes.PendantPress, call, seconds: 20);
        call = Apply(attach);
        Assert.Equal(CallAction.AttachSignal, call.Timeline[^1].Action);
        Assert.Contains(second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), call.Timeline[^1].Detail, StringComparison.Ordinal);

        var (_, cancel) = Run(EventTypes.PendantCancel, call, seconds: 30);
        call = Apply(cancel);
        Assert.True(call.CancelledByResident);
        Assert.True(call.IsOpen);
        Assert.Equal(ActorRole.Resident, call.Timeline[^1].Actor.Role);

        // A second cancel is noted, not refused.
        var (_, again) = Run(EventTypes.PendantCancel, call, seconds: 40);
        Assert.Equal(CallAction.AttachSignal, Apply(again).Timeline[^1].Action);
    }

    [Fact]
    public void Attach_to_a_call_that_already_closed_raises_a_new_one()
    {
        var resolved = Call.Manual("res-1", "Devizes", TriagePriority.P1, "x", Actor.Handler("ann"), T0) with { State = CallState.Resolved };
        var s = Signal(EventTypes.PendantPress);
        var stale = Resident with { CallOpenForResident = true };
        var plan = CallPlanner.Plan(s, Rules.Triage(s, stale), stale, resolved);
        Assert.Equal("personal-alarm-while-call-open", Rules.Triage(s, stale).RuleName);
        Assert.Equal(CallPlanKind.RaiseCall, plan.Kind);
        Assert.NotNull(plan.NewCall);
    }

    [Fact]
    public void Technical_fault_raises_a_ticket_repeats_attach_and_the_restore_resolves_it()
    {
        var (_, ticketPlan) = Run(EventTypes.DeviceLowBattery, null);
        Assert.Equal(CallPlanKind.RaiseTicket, ticketPlan.Kind);
        var ticket = ticketPlan.NewCall! with { Id = 5 };
        Assert.Equal(CallKind.Technical, ticket.Kind);

        var (_, repeat) = Run(EventTypes.DeviceLowBattery, ticket, seconds: 600);
        ticket = Apply(repeat);

        var (_, restore) = Run(EventTypes.DeviceLowBattery, ticket, restore: true, seconds: 900);
        ticket = Apply(restore);
        Assert.Equal((CallState.Resolved, CallOutcomeCatalog.TechnicalFaultFixed), (ticket.State, ticket.Outcome));
    }

    [Fact]
    public void Records_test_mode_and_unknown_devices()
    {
        Assert.Equal(CallPlanKind.Nothing, Run(EventTypes.DeviceHeartbeat, null).Plan.Kind);
        Assert.Equal(CallPlanKind.Nothing, Run(EventTypes.PendantCancel, null).Plan.Kind);
        Assert.Equal(CallPlanKind.ConfirmTest, Run(EventTypes.PendantPress, null, enrichment: Resident with { TestMode = true }).Plan.Kind);

        var unknown = Run(EventTypes.PendantPress, null, enrichment: TriageEnrichment.UnknownDevice).Plan;
        Assert.Equal(CallPlanKind.RaiseCall, unknown.Kind);
        Assert.Equal(CallKind.Technical, unknown.NewCall!.Kind);
        Assert.Contains("Unknown device", unknown.NewCall.Reason, StringComparison.Ordinal);
    }
}

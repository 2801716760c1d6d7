using Telecare.Core.Signals;
using Telecare.Core.Triage;

namespace Telecare.Core.Calls;

/// <summary>
/// Turns a triage decision into a plan on calls, so the gateway only loads, saves and notifies.
/// <c>openCall</c> is the resident's open call for alarm decisions, or the device's open technical
/// ticket for technical ones (the gateway looks up the one that fits <see cref="TriageDecision.IsTechnical"/>).
/// </summary>
public static class CallPlanner
{
    public static CallPlan Plan(StoredSignal signal, TriageDecision decision, in TriageEnrichment enrichment, Call? openCall)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var open = openCall is { IsOpen: true } ? openCall : null;
        var at = signal.ReceivedAt;

        switch (decision.Action)
        {
            case TriageAction.Record:
            case TriageAction.Suppress:
                return CallPlan.Nothing;

            case TriageAction.TestConfirmation:
                return CallPlan.ConfirmTest;

            case TriageAction.RaiseCall:
                return new CallPlan(CallPlanKind.RaiseCall, Call.FromSignal(signal, decision, enrichment));

            case TriageAction.AttachToOpenCall:
                // The call may have closed between enrichment and now: never lose the alarm, raise a new one.
                return open is null
                    ? new CallPlan(CallPlanKind.RaiseCall, Call.FromSignal(signal, decision, enrichment))
                    : Attach(open, signal, decision);

            case TriageAction.TechnicalTicket:
                return open is { IsTechnical: true }
                    ? Attach(open, signal, decision)
                    : new CallPlan(CallPlanKind.RaiseTicket, Call.FromSignal(signal, decision, enrichment));

            case TriageAction.CancelPending:
                if (open is null)
                {
                    return CallPlan.Nothing;
                }

                if (open.IsTechnical)
                {
                    // The fault cleared itself (battery replaced, link back): the ticket is done.
                    return Update(open, new CallCommand(CallAction.Resolve, Actor.System, at)
                    {
                        Outcome = CallOutcomeCatalog.TechnicalFaultFixed,
                        Note = $"{signal.EventType}{(signal.Restore ? " restore" : "")} (signal {signal.Id}), rule {decision.RuleName}",
                    });
                }

                // A resident's cancel keeps the call open for the wellbeing call-back; once marked, or once
                // someone is on scene, the signal is noted on the call instead.
                return !open.CancelledByResident && CallTransitions.IsAllowed(open.State, CallAction.MarkCancelledByResident)
                    ? Update(open, new CallCommand(CallAction.MarkCancelledByResident, new Actor(signal.DeviceRef, ActorRole.Resident), at)
                    {
                        Note = $"{signal.EventType}{(signal.Restore ? " restore" : "")} (signal {signal.Id}): call back to check",
                    })
                    : Attach(open, signal, decision);

            default:
                return new CallPlan(CallPlanKind.RaiseCall, Call.FromSignal(signal, decision, enrichment));
        }
    }

    private static CallPlan Attach(Call open, StoredSignal signal, TriageDecision decision) =>
        Update(open, new CallCommand(CallAction.AttachSignal, Actor.System, signal.ReceivedAt)
        {
            SignalId = signal.Id,
            Priority = decision.Action == TriageAction.CancelPending ? null : decision.Priority,
            Note = $"{signal.EventType}{(signal.Restore ? " restore" : "")}, rule {decision.RuleName}",
        });

    private static CallPlan Update(Call open, CallCommand command) => new(CallPlanKind.UpdateCall, Existing: open, Command: command);
}

using System.Collections.Frozen;

namespace Telecare.Core.Calls;

/// <summary>
/// The call state machine. <see cref="TryApply"/> checks a command against the table below (also written out
/// in README.md) and the command's own rules, and returns the new call plus its timeline entry, or an error
/// with a reason. Nothing changes on an error.
/// </summary>
public static class CallTransitions
{
    private static readonly CallAction[] Annotations =
        [CallAction.AddNote, CallAction.AttachSignal, CallAction.MarkEmergencyServicesCalled, CallAction.RecordBreach];

    /// <summary>(state, action) → next state. Actions that only annotate keep the state.</summary>
    private static readonly FrozenDictionary<(CallState, CallAction), CallState> Table = BuildTable();

    public static IReadOnlyDictionary<(CallState From, CallAction Action), CallState> AllowedMoves => Table;

    public static bool IsAllowed(CallState from, CallAction action) => Table.ContainsKey((from, action));

    public static CallTransitionResult TryApply(Call call, CallCommand command, CallOutcomeCatalog? outcomes = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(command);
        outcomes ??= CallOutcomeCatalog.Default;

        if (command.Action == CallAction.Answer && call.State != CallState.Raised && call.HandlerId is not null && call.IsOpen)
        {
            return CallTransitionResult.Fail(CallError.AlreadyAnswered, $"Call {call.Id} was already answered by {call.HandlerId}.");
        }

        if (!Table.TryGetValue((call.State, command.Action), out var to))
        {
            return CallTransitionResult.Fail(CallError.InvalidTransition, $"Call {call.Id} is {call.State}: {command.Action} is not allowed from there.");
        }

        // Changed fields are gathered on `next` and the state, entry and version set in one last copy: an attach or a
        // note, the commonest transitions, copy the call once.
        var next = call;
        string? detail = command.Note;
        var actor = command.Actor;
        var at = command.At;

        switch (command.Action)
        {
            case CallAction.Answer:
                if (actor.Role is not (ActorRole.Handler or ActorRole.Supervisor))
                {
                    return CallTransitionResult.Fail(CallError.NotAllowed, "Only a handler or supervisor can answer a call.");
                }

                next = next with { HandlerId = actor.Id, AnsweredAt = call.AnsweredAt ?? at };
                break;

            case CallAction.AssignResponder:
                if (string.IsNullOrWhiteSpace(command.ResponderId))
                {
                    return CallTransitionResult.Fail(CallError.MissingField, "AssignResponder needs a responder id.");
                }

                if (string.Equals(command.ResponderId, call.AssignedResponderId, StringComparison.Ordinal))
                {
                    return CallTransitionResult.Fail(CallError.InvalidTransition, $"Responder {command.ResponderId} is already assigned to call {call.Id}.");
                }

                next = next with
                {
                    AssignedResponderId = command.ResponderId,
                    AssignedAt = at,
                    AcceptedAt = null,
                    EnRouteAt = null,
                    Breaches = call.Breaches & ~CallBreaches.ResponderAccept,
                };
                detail = Join($"responder {command.ResponderId}" + (call.AssignedResponderId is null ? "" : $" replaces {call.AssignedResponderId}"), command.Note);
                break;

            case CallAction.Accept:
            case CallAction.Decline:
            case CallAction.EnRoute:
            case CallAction.Arrive:
            case CallAction.Leave:
                if (actor.Role == ActorRole.Responder && !string.Equals(actor.Id, call.AssignedResponderId, StringComparison.Ordinal))
                {
                    return CallTransitionResult.Fail(CallError.NotAssignedResponder, $"Responder {actor.Id} is not assigned to call {call.Id}.");
                }

                next = command.Action switch
                {
                    CallAction.Accept => next with { AcceptedAt = at },
                    CallAction.Decline => next with
                    {
                        AssignedResponderId = null,
                        AssignedAt = null,
                        AcceptedAt = null,
                        EnRouteAt = null,
                        DeclinedBy = call.AssignedResponderId is { } r ? call.DeclinedBy.Add(r) : call.DeclinedBy,
                    },
                    CallAction.EnRoute => next with { EnRouteAt = at },
                    CallAction.Arrive => next with { OnSceneAt = at },
                    _ => next,
                };

                if (command.Action == CallAction.Leave)
                {
                    if (call.LeftAt is not null || call.OnSceneAt is null)
                    {
                        return CallTransitionResult.Fail(CallError.InvalidTransition, call.OnSceneAt is null
                            ? $"Call {call.Id}: nobody arrived, so nobody can leave."
                            : $"Call {call.Id}: departure was already recorded at {call.LeftAt:u}.");
                    }

                    next = next with { LeftAt = at };
                }

                break;

            case CallAction.Resolve:
                if (!outcomes.TryGet(command.Outcome, out var outcome))
                {
                    return CallTransitionResult.Fail(
                        command.Outcome is null ? CallError.MissingField : CallError.UnknownOutcome,
                        command.Outcome is null ? "Resolve needs an outcome." : $"'{command.Outcome}' is not an outcome code.");
                }

                next = next with { Outcome = outcome.Code, ResolvedAt = at };
                detail = Join(outcome.Code, command.Note);
                break;

            case CallAction.Close:
                next = next with { ClosedAt = at };
                break;

            case CallAction.Cancel:
                next = next with { CancelledAt = at };
                break;

            case CallAction.MarkCancelledByResident:
                if (call.CancelledByResident)
                {
                    return CallTransitionResult.Fail(CallError.AlreadyRecorded, $"Call {call.Id} is already marked cancelled by the resident.");
                }

                next = next with { CancelledByResident = true };
                break;

            case CallAction.AttachSignal:
                if (command.SignalId is null)
                {
                    return CallTransitionResult.Fail(CallError.MissingField, "AttachSignal needs a signal id.");
                }

                if (command.Priority is { } p && p < call.Priority)
                {
                    next = next with { Priority = p };
                }

                detail = Join($"signal {command.SignalId}" + (command.Priority is { } q ? $" {q}" : ""), command.Note);
                break;

            case CallAction.AddNote:
                if (string.IsNullOrWhiteSpace(command.Note))
                {
                    return CallTransitionResult.Fail(CallError.MissingField, "A note needs text.");
                }

                // A concern noted on the call (a missed expected activity) may be more urgent than the call was.
                if (command.Priority is { } urgency && urgency < call.Priority)
                {
                    next = next with { Priority = urgency };
                    detail = $"{command.Note} (priority raised to {urgency})";
                }

                break;

            case CallAction.MarkEmergencyServicesCalled:
                next = next with { EmergencyServicesCalled = true };
                break;

            case CallAction.RecordBreach:
                if (command.Breach == CallBreaches.None || (command.Breach & (command.Breach - 1)) != 0)
                {
                    return CallTransitionResult.Fail(CallError.MissingField, "RecordBreach needs exactly one breach.");
                }

                if ((call.Breaches & command.Breach) != 0)
                {
                    return CallTransitionResult.Fail(CallError.AlreadyRecorded, $"Call {call.Id}: {command.Breach} was already recorded.");
                }

                next = next with { Breaches = call.Breaches | command.Breach };
                detail = Join(command.Breach.ToString(), command.Note);
                break;
        }

        var entry = new CallTimelineEntry(call.Timeline.Count, at, actor, command.Action, call.State, to, detail);
        next = next with { State = to, Timeline = call.Timeline.Add(entry), Version = call.Version + 1 };
        return CallTransitionResult.Ok(next, entry);
    }

    private static string? Join(string a, string? b) => string.IsNullOrWhiteSpace(b) ? a : $"{a}: {b}";

    private static FrozenDictionary<(CallState, CallAction), CallState> BuildTable()
    {
        var t = new Dictionary<(CallState, CallAction), CallState>();
        void Move(CallState from, CallAction action, CallState to) => t.Add((from, action), to);

        Move(CallState.Raised, CallAction.Answer, CallState.Answered);
        Move(CallState.Raised, CallAction.Resolve, CallState.Resolved);
        Move(CallState.Raised, CallAction.Cancel, CallState.Cancelled);

        Move(CallState.Answered, CallAction.AssignResponder, CallState.ResponderAssigned);
        Move(CallState.Answered, CallAction.Resolve, CallState.Resolved);
        Move(CallState.Answered, CallAction.Cancel, CallState.Cancelled);

        Move(CallState.ResponderAssigned, CallAction.Accept, CallState.ResponderAccepted);
        Move(CallState.ResponderAssigned, CallAction.Decline, CallState.Answered);
        Move(CallState.ResponderAssigned, CallAction.AssignResponder, CallState.ResponderAssigned);
        Move(CallState.ResponderAssigned, CallAction.Resolve, CallState.Resolved);
        Move(CallState.ResponderAssigned, CallAction.Cancel, CallState.Cancelled);

        Move(CallState.ResponderAccepted, CallAction.EnRoute, CallState.EnRoute);
        Move(CallState.ResponderAccepted, CallAction.Arrive, CallState.OnScene);
        Move(CallState.ResponderAccepted, CallAction.Decline, CallState.Answered);
        Move(CallState.ResponderAccepted, CallAction.AssignResponder, CallState.ResponderAssigned);
        Move(CallState.ResponderAccepted, CallAction.Resolve, CallState.Resolved);
        Move(CallState.ResponderAccepted, CallAction.Cancel, CallState.Cancelled);

        Move(CallState.EnRoute, CallAction.Arrive, CallState.OnScene);
        Move(CallState.EnRoute, CallAction.AssignResponder, CallState.ResponderAssigned);
        Move(CallState.EnRoute, CallAction.Resolve, CallState.Resolved);
        Move(CallState.EnRoute, CallAction.Cancel, CallState.Cancelled);

        Move(CallState.OnScene, CallAction.Resolve, CallState.Resolved);
        Move(CallState.OnScene, CallAction.Leave, CallState.OnScene);

        Move(CallState.Resolved, CallAction.Close, CallState.Closed);
        Move(CallState.Resolved, CallAction.Leave, CallState.Resolved);
        Move(CallState.Resolved, CallAction.AddNote, CallState.Resolved);

        // Annotations keep the state and are allowed while the call is open.
        foreach (var state in new[] { CallState.Raised, CallState.Answered, CallState.ResponderAssigned, CallState.ResponderAccepted, CallState.EnRoute, CallState.OnScene })
        {
            foreach (var action in Annotations)
            {
                t.Add((state, action), state);
            }
        }

        // A resident's cancel only means something before a responder is with them.
        foreach (var state in new[] { CallState.Raised, CallState.Answered, CallState.ResponderAssigned, CallState.ResponderAccepted, CallState.EnRoute })
        {
            t.Add((state, CallAction.MarkCancelledByResident), state);
        }

        return t.ToFrozenDictionary();
    }
}

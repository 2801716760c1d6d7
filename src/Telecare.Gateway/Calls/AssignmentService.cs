using System.Globalization;
using Telecare.Core.Assignments;
using Telecare.Core.Calls;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Responder assignments: offered by a handler, then accepted, en route, arrived, left and completed by the responder
/// with one tap each (the times are the server's). A responder is sent only their own assignments.
/// </summary>
public sealed class AssignmentService(
    CallService calls,
    IAssignmentStore store,
    IAssignmentWrites writes,
    CallDirectory directory,
    ResidentSecrets secrets,
    IResponderNotifier phones,
    TimeProvider time)
{
    public async Task<Call> AssignAsync(long callId, long responderId, Actor handler)
    {
        var responderName = directory.ResponderName(responderId.ToString(CultureInfo.InvariantCulture))
            ?? throw new CallActionException("not-found", $"Responder {responderId} does not exist.");
        AssignmentOffer? offer = null;
        var call = await calls.ApplyAsync(callId, new CallCommand(CallAction.AssignResponder, handler, time.GetUtcNow())
        {
            ResponderId = responderId.ToString(CultureInfo.InvariantCulture),
            Note = responderName,
        }, (unit, updated) =>
        {
            // The responder's phone receives the key-safe code with the offer: the store audits that delivery.
            var resident = long.TryParse(updated.ResidentId, out var id) ? id : (long?)null;
            offer = writes.Offer(unit, callId, responderId, resident, time.GetUtcNow(), handler.ToString());
        });

        if (offer is { WithdrawnResponderId: { } previousResponder, WithdrawnAssignmentId: { } previousAssignment })
        {
            phones.Withdrawn(previousResponder, previousAssignment);
        }

        if (offer is not null && await ViewAsync(offer.AssignmentId) is { } view)
        {
            phones.Offered(responderId, view);
        }

        return call;
    }

    /// <summary>A responder's tap: Accept, Decline, EnRoute, Arrive, Leave, or Resolve (complete with an outcome).</summary>
    public async Task<AssignmentView> ActAsync(long assignmentId, long responderId, CallAction action, string? outcome = null, string? note = null)
    {
        var assignment = await store.GetAsync(assignmentId) ?? throw new CallActionException("not-found", $"Assignment {assignmentId} does not exist.");
        if (assignment.ResponderId != responderId)
        {
            throw new CallActionException(CallError.NotAssignedResponder, $"Assignment {assignmentId} is not yours.");
        }

        // Leaving is recorded after completing too: departure is the end of the visit, whatever the outcome tap.
        var state = assignment.State;
        if (state is AssignmentState.Declined or AssignmentState.Withdrawn || (state == AssignmentState.Completed && action != CallAction.Leave))
        {
            throw new CallActionException(CallError.InvalidTransition, $"Assignment {assignmentId} is {state}.");
        }

        var next = action switch
        {
            CallAction.Accept => AssignmentState.Accepted,
            CallAction.Decline => AssignmentState.Declined,
            CallAction.EnRoute => AssignmentState.EnRoute,
            CallAction.Arrive => AssignmentState.Arrived,
            CallAction.Leave => AssignmentState.Left,
            CallAction.Resolve => AssignmentState.Completed,
            _ => throw new CallActionException(CallError.NotAllowed, $"{action} is not a responder action."),
        };
        var at = time.GetUtcNow();
        await calls.ApplyAsync(assignment.CallId, new CallCommand(action, Actor.Responder(responderId.ToString(CultureInfo.InvariantCulture)), at)
        {
            Outcome = outcome,
            Note = note,
        }, (unit, _) => writes.Record(unit, assignmentId, next, at, outcome));

        var view = (await ViewAsync(assignmentId))!;
        phones.Updated(responderId, view);
        return view;
    }

    public async Task<IReadOnlyList<AssignmentView>> CurrentAsync(long responderId) => [.. (await store.CurrentAsync(responderId)).Select(View)];

    /// <summary>Only what the responder needs to get in and help: who, where, how to get in, the alarm and the handler's notes.</summary>
    public async Task<AssignmentView?> ViewAsync(long assignmentId) => await store.GetAsync(assignmentId) is { } assignment ? View(assignment) : null;

    private AssignmentView View(Assignment assignment)
    {
        var resident = assignment.ResidentId is { } residentId ? directory.FindResident(residentId) : null;
        return new AssignmentView
        {
            Id = assignment.Id,
            CallId = assignment.CallId,
            State = assignment.State.ToString(),
            Priority = (int)assignment.Priority,
            EventType = assignment.EventType,
            ResidentName = resident?.Name,
            Address = resident?.Address,
            Postcode = resident?.Postcode,
            AccessDetails = secrets.Unprotect(resident?.AccessProtected),
            Flags = resident?.Flags ?? [],
            HandlerNotes = assignment.HandlerNotes,
            AssignedAt = assignment.AssignedAt,
            AcceptedAt = assignment.AcceptedAt,
            EnRouteAt = assignment.EnRouteAt,
            ArrivedAt = assignment.ArrivedAt,
            LeftAt = assignment.LeftAt,
            CompletedAt = assignment.CompletedAt,
            Outcome = assignment.Outcome,
        };
    }
}

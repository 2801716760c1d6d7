using Microsoft.AspNetCore.SignalR;
using Telecare.Gateway.Calls;

namespace Telecare.Gateway.Hubs;

/// <summary>Each responder's connected phones, one SignalR group per responder. Pushes return at once (<see cref="LivePush"/>).</summary>
public sealed class ResponderPhones(IHubContext<ResponderHub, IResponderClient> hub, LivePush push) : IResponderNotifier
{
    public static string Group(long responderId) => $"responder-{responderId}";

    public void Offered(long responderId, AssignmentView assignment) =>
        push.Start(nameof(IResponderClient.AssignmentOffered), token => hub.Clients.Group(Group(responderId)).AssignmentOffered(assignment, token));

    public void Updated(long responderId, AssignmentView assignment) =>
        push.Start(nameof(IResponderClient.AssignmentUpdated), token => hub.Clients.Group(Group(responderId)).AssignmentUpdated(assignment, token));

    public void Withdrawn(long responderId, long assignmentId) =>
        push.Start(nameof(IResponderClient.AssignmentWithdrawn), token => hub.Clients.Group(Group(responderId)).AssignmentWithdrawn(assignmentId, token));
}

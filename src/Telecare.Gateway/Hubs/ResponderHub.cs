using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Telecare.Core.Calls;
using Telecare.Core.Registry;
using Telecare.Gateway.Calls;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Hubs;

/// <summary>/hubs/responder: one responder's phone. It joins only its own group, so it only ever receives its own assignments.</summary>
[Authorize(Policy = Policies.Respond)]
public sealed class ResponderHub(AssignmentService assignments, IResponderStore responders, ConsoleMetrics metrics, TimeProvider time) : Hub<IResponderClient>
{
    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, ResponderPhones.Group(ResponderId()));
        await Clients.Caller.Snapshot(await GetSnapshot());
        await base.OnConnectedAsync();
        // Counted once the console is really in: a refused connection is never disconnected.
        metrics.ResponderConnected();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.ResponderDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    [Authorize(Policy = Policies.Respond)]
    public async Task<ResponderSnapshot> GetSnapshot()
    {
        var id = ResponderId();
        var (name, onDuty) = await responders.GetAsync(id) is { } responder ? (responder.Name, responder.OnDuty) : ("?", false);
        return new ResponderSnapshot(id, name, onDuty, await assignments.CurrentAsync(id), [.. CallOutcomeCatalog.Default.All.Select(o => o.Code)], time.GetUtcNow());
    }

    [Authorize(Policy = Policies.Respond)]
    public async Task<bool> SetOnDuty(bool onDuty)
    {
        await responders.SetOnDutyAsync(ResponderId(), onDuty, AuditActor.Of(Context.User!));
        return onDuty;
    }

    [Authorize(Policy = Policies.Respond)]
    public Task<AssignmentView> Accept(long assignmentId) => Act(assignmentId, CallAction.Accept);

    [Authorize(Policy = Policies.Respond)]
    public Task<AssignmentView> Decline(long assignmentId, string? reason) => Act(assignmentId, CallAction.Decline, note: reason);

    [Authorize(Policy = Policies.Respond)]
    public Task<AssignmentView> EnRoute(long assignmentId) => Act(assignmentId, CallAction.EnRoute);

    [Authorize(Policy = Policies.Respond)]
    public Task<AssignmentView> Arrived(long assignmentId) => Act(assignmentId, CallAction.Arrive);

    [Authorize(Policy = Policies.Respond)]
    public Task<AssignmentView> Left(long assignmentId) => Act(assignmentId, CallAction.Leave);

    [Authorize(Policy = Policies.Respond)]
    public Task<AssignmentView> Complete(long assignmentId, string outcome) => Act(assignmentId, CallAction.Resolve, outcome);

    private async Task<AssignmentView> Act(long assignmentId, CallAction action, string? outcome = null, string? note = null)
    {
        try
        {
            return await assignments.ActAsync(assignmentId, ResponderId(), action, outcome, note);
        }
        catch (CallActionException ex)
        {
            throw new HubException(ex.Message);
        }
    }

    private long ResponderId() =>
        long.TryParse(Context.User?.FindFirst(TelecareClaims.ResponderId)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new HubException("This login is not linked to a responder record.");
}

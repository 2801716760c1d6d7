using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Telecare.Core.Accounts;
using Telecare.Core.Calls;
using Telecare.Core.Registry;
using Telecare.Gateway.Api;
using Telecare.Gateway.Calls;
using Telecare.Gateway.Health;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Hubs;

/// <summary>
/// /hubs/dispatch: handlers and supervisors (an admin may connect and watch). A snapshot on connect, then live events;
/// every action is one call transition. Every method names its own policy: SignalR checks a hub class's policy only
/// when the connection opens, a method's on every invocation.
/// </summary>
[Authorize(Policy = Policies.Dispatch)]
public sealed partial class DispatchHub(
    CallService calls,
    CallDirectory directory,
    AssignmentService assignments,
    IResidentStore residents,
    ResidentSecrets secrets,
    IOptions<CallOptions> options,
    ConsoleMetrics metrics,
    SystemAlerts alerts,
    TimeProvider time,
    ILogger<DispatchHub> logger) : Hub<IDispatchClient>
{
    public override async Task OnConnectedAsync()
    {
        await Clients.Caller.Snapshot(GetSnapshot());
        await base.OnConnectedAsync();
        // Counted once the console is really in: a refused connection is never disconnected.
        metrics.DispatchConnected();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (exception is not null)
        {
            // Dropped rather than closed: often a console that stopped reading (see LivePush). Its page reconnects.
            LogDropped(logger, Context.User?.Identity?.Name ?? "?", exception.Message);
        }

        metrics.DispatchDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    [Authorize(Policy = Policies.Dispatch)]
    public DispatchSnapshot GetSnapshot()
    {
        var open = calls.Unfinished();
        return new DispatchSnapshot(
            [.. open.Where(c => !c.IsTechnical).Select(directory.ToView)],
            [.. open.Where(c => c.IsTechnical).Select(directory.ToView)],
            time.GetUtcNow(), options.Value.AnswerWarnSeconds, options.Value.AnswerEscalateSeconds) { Alerts = alerts.Active };
    }

    [Authorize(Policy = Policies.HandleCalls)]
    public Task<CallView> Claim(long callId) => Act(callId, CallAction.Answer);

    [Authorize(Policy = Policies.HandleCalls)]
    public Task<CallView> AddNote(long callId, string text) => Act(callId, CallAction.AddNote, note: text);

    [Authorize(Policy = Policies.HandleCalls)]
    public Task<CallView> MarkEmergencyServicesCalled(long callId) => Act(callId, CallAction.MarkEmergencyServicesCalled);

    [Authorize(Policy = Policies.HandleCalls)]
    public Task<CallView> Resolve(long callId, string outcome, string? note) => Act(callId, CallAction.Resolve, outcome, note);

    [Authorize(Policy = Policies.HandleCalls)]
    public Task<CallView> Close(long callId) => Act(callId, CallAction.Close);

    [Authorize(Policy = Policies.HandleCalls)]
    public async Task<CallView> AssignResponder(long callId, long responderId)
    {
        var call = await Run(() => assignments.AssignAsync(callId, responderId, Me()));
        return directory.ToView(call);
    }

    [Authorize(Policy = Policies.HandleCalls)]
    public async Task<CallView> RaiseManualCall(long residentId, string? eventType, string? note)
    {
        var call = await Run(() => calls.RaiseManualAsync(residentId, eventType, note ?? "", Me()));
        return directory.ToView(call);
    }

    /// <summary>Key-safe and access notes, on request only; the reveal is audited in the same commit.</summary>
    [Authorize(Policy = Policies.HandleCalls)]
    public async Task<string?> RevealAccessDetails(long residentId) =>
        await AccessDetails.RevealAsync(residents, secrets, Context.User!, residentId, "dispatch console") is { Found: true } revealed
            ? revealed.Text
            : throw new HubException($"Resident {residentId} does not exist.");

    private async Task<CallView> Act(long callId, CallAction action, string? outcome = null, string? note = null)
    {
        var call = await Run(() => calls.ApplyAsync(callId, new CallCommand(action, Me(), time.GetUtcNow()) { Outcome = outcome, Note = note }));
        return directory.ToView(call);
    }

    private Actor Me()
    {
        var name = Context.User!.Identity!.Name!;
        return Context.User.IsInRole(Roles.Supervisor) ? Actor.Supervisor(name) : Actor.Handler(name);
    }

    private static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (CallActionException ex)
        {
            // HubException's message reaches the console; anything else would be hidden from the person.
            throw new HubException(ex.Message);
        }
    }

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Dispatch console of {User} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string user, string reason);
}

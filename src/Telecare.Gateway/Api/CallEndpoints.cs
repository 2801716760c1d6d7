using Telecare.Gateway.Calls;
using Telecare.Core.History;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

/// <summary>Reads that are not live: calls and a call's timeline.</summary>
public static class CallEndpoints
{
    /// <summary>How many of the newest calls the list of all calls shows.</summary>
    private const int ListedCalls = 500;

    public sealed record TimelineEntryView(int Sequence, DateTimeOffset At, string Actor, string Action, string From, string To, string? Detail);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/calls", async (bool? open, CallService calls, CallDirectory directory, ICallHistory history) =>
            TypedResults.Ok(open != false
                ? calls.Unfinished().Select(directory.ToView).ToList()
                : (await history.LatestAsync(ListedCalls)).Select(directory.ToView).ToList()))
            .RequireAuthorization(Policies.Dispatch).WithTags("Calls");

        api.MapGet("/calls/{id:long}", async (long id, CallDirectory directory, ICallHistory history, CallPanel panel) =>
            await history.GetAsync(id) is { } call
                ? Results.Ok(await panel.BuildAsync(call, directory.ToView(call)))
                : JsonBody.NotFound($"Call {id}"))
            .RequireAuthorization(Policies.Dispatch).WithTags("Calls");

        api.MapGet("/calls/{id:long}/timeline", async (long id, ICallHistory history) =>
            await history.GetAsync(id) is { } call
                ? Results.Ok(call.Timeline.Select(e =>
                    new TimelineEntryView(e.Sequence, e.At, e.Actor.ToString(), e.Action.ToString(), e.From.ToString(), e.To.ToString(), e.Detail)))
                : JsonBody.NotFound($"Call {id}"))
            .RequireAuthorization(Policies.Dispatch).WithTags("Calls");
    }
}

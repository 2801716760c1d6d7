using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Telecare.Core.Calls;
using Telecare.Core.Reports;
using Telecare.Core.Triage;
using Telecare.Gateway.Admin;
using Telecare.Gateway.Api;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>Reads that are not live: calls and a call's timeline.</summary>
public static class CallEndpoints
{
    public sealed record TimelineEntryView(int Sequence, DateTimeOffset At, string Actor, string Action, string From, string To, string? Detail);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/calls", (bool? open, CallService calls, CallDirectory directory, SqliteConnectionFactory store) =>
        {
            if (open != false)
            {
                return TypedResults.Ok(calls.Unfinished().Select(directory.ToView).ToList());
            }

            using var connection = store.OpenReader();
            using var command = Db.Query(connection, "SELECT id FROM calls ORDER BY id DESC LIMIT 500");
            using var r = command.ExecuteReader();
            var ids = new List<long>();
            while (r.Read())
            {
                ids.Add(r.GetInt64(0));
            }

            return TypedResults.Ok(ids.Select(id => CallRecords.LoadOne(connection, id)).OfType<Call>().Select(directory.ToView).ToList());
        }).RequireAuthorization(Policies.Dispatch).WithTags("Calls");

        api.MapGet("/calls/{id:long}", (long id, CallDirectory directory, SqliteConnectionFactory store, ResidentSecrets secrets, TimeProvider time) =>
        {
            using var connection = store.OpenReader();
            return CallRecords.LoadOne(connection, id) is { } call
                ? Results.Ok(CallPanel.Build(connection, call, directory.ToView(call), secrets, time))
                : JsonBody.NotFound($"Call {id}");
        }).RequireAuthorization(Policies.Dispatch).WithTags("Calls");

        api.MapGet("/calls/{id:long}/timeline", (long id, SqliteConnectionFactory store) =>
        {
            using var connection = store.OpenReader();
            if (CallRecords.LoadOne(connection, id) is null)
            {
                return JsonBody.NotFound($"Call {id}");
            }

            return Results.Ok(CallRecords.Timeline(connection, id)
                .Select(e => new TimelineEntryView(e.Sequence, e.At, e.Actor.ToString(), e.Action.ToString(), e.From.ToString(), e.To.ToString(), e.Detail)));
        }).RequireAuthorization(Policies.Dispatch).WithTags("Calls");
    }
}

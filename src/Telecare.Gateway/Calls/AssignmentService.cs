using System.Globalization;
using Telecare.Core.Calls;
using Telecare.Gateway.Admin;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Responder assignments: offered by a handler, then accepted, en route, arrived, left and completed by the responder
/// with one tap each (the times are the server's). A responder is sent only their own assignments.
/// </summary>
public sealed class AssignmentService(
    CallService calls,
    SqliteConnectionFactory store,
    CallDirectory directory,
    ResidentSecrets secrets,
    IResponderNotifier phones,
    TimeProvider time)
{
    public async Task<Call> AssignAsync(long callId, long responderId, Actor handler)
    {
        var responderName = directory.ResponderName(responderId.ToString(CultureInfo.InvariantCulture))
            ?? throw new CallActionException("not-found", $"Responder {responderId} does not exist.");
        long? withdrawnFrom = null;
        long? withdrawnAssignment = null;
        long offered = 0;
        var call = await calls.ApplyAsync(callId, new CallCommand(CallAction.AssignResponder, handler, time.GetUtcNow())
        {
            ResponderId = responderId.ToString(CultureInfo.InvariantCulture),
            Note = responderName,
        }, (unit, updated) =>
        {
            var context = (WriteContext)unit;
            using (var previous = context.Command("""
                UPDATE assignments SET state = 'Withdrawn' WHERE call_id = $call AND state NOT IN ('Declined', 'Withdrawn', 'Completed')
                RETURNING id, responder_id
                """))
            {
                previous.Parameters.AddWithValue("$call", callId);
                using var r = previous.ExecuteReader();
                if (r.Read())
                {
                    withdrawnAssignment = r.GetInt64(0);
                    withdrawnFrom = r.GetInt64(1);
                }
            }

            using var insert = context.Command("""
                INSERT INTO assignments (call_id, responder_id, state, assigned_at, assigned_by) VALUES ($call, $responder, 'Offered', $at, $by) RETURNING id
                """);
            insert.Parameters.AddWithValue("$call", callId);
            insert.Parameters.AddWithValue("$responder", responderId);
            insert.Parameters.AddWithValue("$at", time.GetUtcNow().ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$by", handler.ToString());
            offered = (long)insert.ExecuteScalar()!;
            // The responder's phone receives the key-safe code with the offer: that delivery is audited.
            if (long.TryParse(updated.ResidentId, out var resident))
            {
                Audit.Write(context, time.GetUtcNow(), $"Responder:{responderId}", "resident.access-details.deliver", $"resident/{resident}", $"call {callId}");
            }
        });

        if (withdrawnFrom is { } previousResponder && withdrawnAssignment is { } previousAssignment)
        {
            phones.Withdrawn(previousResponder, previousAssignment);
        }

        if (View(offered) is { } view)
        {
            phones.Offered(responderId, view);
        }

        return call;
    }

    /// <summary>A responder's tap: Accept, Decline, EnRoute, Arrive, Leave, or Resolve (complete with an outcome).</summary>
    public async Task<AssignmentView> ActAsync(long assignmentId, long responderId, CallAction action, string? outcome = null, string? note = null)
    {
        var (callId, owner, state) = Find(assignmentId) ?? throw new CallActionException("not-found", $"Assignment {assignmentId} does not exist.");
        if (owner != responderId)
        {
            throw new CallActionException(CallError.NotAssignedResponder, $"Assignment {assignmentId} is not yours.");
        }

        // Leaving is recorded after completing too: departure is the end of the visit, whatever the outcome tap.
        if (state is "Declined" or "Withdrawn" || (state == "Completed" && action != CallAction.Leave))
        {
            throw new CallActionException(CallError.InvalidTransition, $"Assignment {assignmentId} is {state}.");
        }

        var (nextState, column) = action switch
        {
            CallAction.Accept => ("Accepted", "accepted_at"),
            CallAction.Decline => ("Declined", "declined_at"),
            CallAction.EnRoute => ("EnRoute", "en_route_at"),
            CallAction.Arrive => ("Arrived", "arrived_at"),
            CallAction.Leave => ("Left", "left_at"),
            CallAction.Resolve => ("Completed", "completed_at"),
            _ => throw new CallActionException(CallError.NotAllowed, $"{action} is not a responder action."),
        };
        var at = time.GetUtcNow();
        await calls.ApplyAsync(callId, new CallCommand(action, Actor.Responder(responderId.ToString(CultureInfo.InvariantCulture)), at)
        {
            Outcome = outcome,
            Note = note,
        }, (unit, _) =>
        {
            var context = (WriteContext)unit;
            // Leave keeps a completed assignment completed; the departure time is still stamped.
            using var update = context.Command($"""
                UPDATE assignments SET {column} = $at, state = CASE WHEN state = 'Completed' THEN state ELSE $state END,
                    outcome = COALESCE($outcome, outcome)
                WHERE id = $id
                """);
            update.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$state", nextState);
            update.Parameters.AddWithValue("$outcome", (object?)outcome ?? DBNull.Value);
            update.Parameters.AddWithValue("$id", assignmentId);
            update.ExecuteNonQuery();
        });

        var view = View(assignmentId)!;
        phones.Updated(responderId, view);
        return view;
    }

    public IReadOnlyList<AssignmentView> Current(long responderId)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection,
            "SELECT id FROM assignments WHERE responder_id = $r AND state NOT IN ('Declined', 'Withdrawn') AND (state <> 'Completed' OR left_at IS NULL) ORDER BY id",
            ("$r", responderId));
        using var r = command.ExecuteReader();
        var ids = new List<long>();
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
        }

        return [.. ids.Select(View).OfType<AssignmentView>()];
    }

    private (long CallId, long ResponderId, string State)? Find(long assignmentId)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection, "SELECT call_id, responder_id, state FROM assignments WHERE id = $id", ("$id", assignmentId));
        using var r = command.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetInt64(1), r.GetString(2)) : null;
    }

    /// <summary>Only what the responder needs to get in and help: who, where, how to get in, the alarm and the handler's notes.</summary>
    public AssignmentView? View(long assignmentId)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection, """
            SELECT a.id, a.call_id, a.state, c.priority, c.event_type, c.resident_id, a.assigned_at, a.accepted_at, a.en_route_at,
                   a.arrived_at, a.left_at, a.completed_at, a.outcome
            FROM assignments a JOIN calls c ON c.id = a.call_id WHERE a.id = $id
            """, ("$id", assignmentId));
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var resident = r.Long(5) is { } residentId ? directory.FindResident(residentId) : null;
        var callId = r.GetInt64(1);
        return new AssignmentView
        {
            Id = r.GetInt64(0),
            CallId = callId,
            State = r.GetString(2),
            Priority = r.GetInt32(3),
            EventType = r.GetString(4),
            ResidentName = resident?.Name,
            Address = resident?.Address,
            Postcode = resident?.Postcode,
            AccessDetails = secrets.Unprotect(resident?.AccessProtected),
            Flags = resident?.Flags ?? [],
            HandlerNotes = [.. CallRecords.Timeline(connection, callId).Where(e => e.Action == CallAction.AddNote && e.Detail is not null).Select(e => e.Detail!)],
            AssignedAt = r.Time(6)!.Value,
            AcceptedAt = r.Time(7),
            EnRouteAt = r.Time(8),
            ArrivedAt = r.Time(9),
            LeftAt = r.Time(10),
            CompletedAt = r.Time(11),
            Outcome = r.Str(12),
        };
    }
}

using Microsoft.Data.Sqlite;
using Telecare.Core.Calls;
using Telecare.Core.Triage;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>Rows of calls and their append-only timeline ⇄ Core's <see cref="Call"/>. Times are Unix ms.</summary>
internal static class CallRecords
{
    private const string Columns = """
        id, kind, state, priority, event_type, rule, manual, resident_id, zone, device_ref, first_signal_id, reason, raised_at,
        answered_at, answered_by, responder_id, assigned_at, accepted_at, en_route_at, on_scene_at, left_at, resolved_at, closed_at,
        cancelled_at, cancelled_by_resident, emergency_services_called, outcome, version, declined_by, breaches
        """;

    public static long Insert(WriteContext context, Call call, long? zoneId)
    {
        using var command = context.Command("""
            INSERT INTO calls (kind, state, priority, event_type, rule, manual, resident_id, zone_id, zone, device_ref, first_signal_id,
                               reason, summary, raised_at, version)
            VALUES ($kind, $state, $priority, $event, $rule, $manual, $resident, $zoneId, $zone, $device, $signal, $reason, $reason, $raised, $version)
            RETURNING id
            """);
        var p = command.Parameters;
        p.AddWithValue("$kind", call.Kind.ToString());
        p.AddWithValue("$state", call.State.ToString());
        p.AddWithValue("$priority", (int)call.Priority);
        p.AddWithValue("$event", call.EventType ?? (call.IsManual ? "manual" : "unknown"));
        p.AddWithValue("$rule", call.RuleName);
        p.AddWithValue("$manual", call.IsManual ? 1 : 0);
        p.AddWithValue("$resident", long.TryParse(call.ResidentId, out var resident) ? resident : DBNull.Value);
        p.AddWithValue("$zoneId", (object?)zoneId ?? DBNull.Value);
        p.AddWithValue("$zone", (object?)call.Zone ?? DBNull.Value);
        p.AddWithValue("$device", (object?)call.DeviceRef ?? DBNull.Value);
        p.AddWithValue("$signal", (object?)call.TriggerSignalId ?? DBNull.Value);
        p.AddWithValue("$reason", call.Reason);
        p.AddWithValue("$raised", call.RaisedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$version", call.Version);
        var id = (long)command.ExecuteScalar()!;
        foreach (var entry in call.Timeline)
        {
            AppendTimeline(context, id, entry);
        }

        return id;
    }

    /// <summary>Saves a transition only if nobody saved another since (optimistic on the version): one of two claims wins.</summary>
    public static bool TryUpdate(WriteContext context, Call updated, CallTimelineEntry entry)
    {
        using var command = context.Command("""
            UPDATE calls SET state = $state, priority = $priority, answered_at = $answered, answered_by = $handler, responder_id = $responder,
                assigned_at = $assigned, accepted_at = $accepted, en_route_at = $enRoute, on_scene_at = $onScene, left_at = $left,
                resolved_at = $resolved, closed_at = $closed, cancelled_at = $cancelled, cancelled_by_resident = $byResident,
                emergency_services_called = $emergency, outcome = $outcome, version = $version, declined_by = $declined, breaches = $breaches
            WHERE id = $id AND version = $previous
            """);
        var p = command.Parameters;
        p.AddWithValue("$state", updated.State.ToString());
        p.AddWithValue("$priority", (int)updated.Priority);
        p.AddWithValue("$answered", Ms(updated.AnsweredAt));
        p.AddWithValue("$handler", (object?)updated.HandlerId ?? DBNull.Value);
        p.AddWithValue("$responder", long.TryParse(updated.AssignedResponderId, out var responder) ? responder : DBNull.Value);
        p.AddWithValue("$assigned", Ms(updated.AssignedAt));
        p.AddWithValue("$accepted", Ms(updated.AcceptedAt));
        p.AddWithValue("$enRoute", Ms(updated.EnRouteAt));
        p.AddWithValue("$onScene", Ms(updated.OnSceneAt));
        p.AddWithValue("$left", Ms(updated.LeftAt));
        p.AddWithValue("$resolved", Ms(updated.ResolvedAt));
        p.AddWithValue("$closed", Ms(updated.ClosedAt));
        p.AddWithValue("$cancelled", Ms(updated.CancelledAt));
        p.AddWithValue("$byResident", updated.CancelledByResident ? 1 : 0);
        p.AddWithValue("$emergency", updated.EmergencyServicesCalled ? 1 : 0);
        p.AddWithValue("$outcome", (object?)updated.Outcome ?? DBNull.Value);
        p.AddWithValue("$version", updated.Version);
        p.AddWithValue("$declined", string.Join(',', updated.DeclinedBy));
        p.AddWithValue("$breaches", (int)updated.Breaches);
        p.AddWithValue("$id", updated.Id);
        p.AddWithValue("$previous", updated.Version - 1);
        if (command.ExecuteNonQuery() != 1)
        {
            return false;
        }

        AppendTimeline(context, updated.Id, entry);
        return true;
    }

    public static void AppendTimeline(WriteContext context, long callId, CallTimelineEntry entry)
    {
        using var command = context.Command("""
            INSERT INTO call_timeline (call_id, seq, at, actor, action, from_state, to_state, detail)
            VALUES ($call, $seq, $at, $actor, $action, $from, $to, $detail)
            """);
        var p = command.Parameters;
        p.AddWithValue("$call", callId);
        p.AddWithValue("$seq", entry.Sequence);
        p.AddWithValue("$at", entry.At.ToUnixTimeMilliseconds());
        p.AddWithValue("$actor", entry.Actor.ToString());
        p.AddWithValue("$action", entry.Action.ToString());
        p.AddWithValue("$from", entry.From.ToString());
        p.AddWithValue("$to", entry.To.ToString());
        p.AddWithValue("$detail", (object?)entry.Detail ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>Calls that are not Closed or Cancelled (resolved ones still need closing), with their timelines, as the writer's transaction sees them.</summary>
    public static List<Call> LoadUnfinished(WriteContext context) =>
        Load(context.Command, "state NOT IN ('Closed', 'Cancelled')", null);

    public static Call? LoadOne(SqliteConnection connection, long id) => Load(Commands(connection), "id = $id", id).FirstOrDefault();

    private static Func<string, SqliteCommand> Commands(SqliteConnection connection) => sql =>
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    };

    private static List<Call> Load(Func<string, SqliteCommand> commands, string where, long? id)
    {
        var calls = new List<Call>();
        using (var command = commands($"SELECT {Columns} FROM calls WHERE {where} ORDER BY id"))
        {
            if (id is not null)
            {
                command.Parameters.AddWithValue("$id", id);
            }

            using var r = command.ExecuteReader();
            while (r.Read())
            {
                calls.Add(new Call
                {
                    Id = r.GetInt64(0),
                    Kind = Enum.Parse<CallKind>(r.GetString(1)),
                    State = Enum.Parse<CallState>(r.GetString(2)),
                    Priority = (TriagePriority)r.GetInt32(3),
                    EventType = r.GetString(4) is "manual" or "unknown" ? null : r.GetString(4),
                    RuleName = r.IsDBNull(5) ? "" : r.GetString(5),
                    IsManual = r.GetInt64(6) == 1,
                    ResidentId = r.IsDBNull(7) ? null : r.GetInt64(7).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Zone = r.IsDBNull(8) ? null : r.GetString(8),
                    DeviceRef = r.IsDBNull(9) ? null : r.GetString(9),
                    TriggerSignalId = r.IsDBNull(10) ? null : r.GetInt64(10),
                    Reason = r.IsDBNull(11) ? "" : r.GetString(11),
                    RaisedAt = Time(r, 12)!.Value,
                    AnsweredAt = Time(r, 13),
                    HandlerId = r.IsDBNull(14) ? null : r.GetString(14),
                    AssignedResponderId = r.IsDBNull(15) ? null : r.GetInt64(15).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    AssignedAt = Time(r, 16),
                    AcceptedAt = Time(r, 17),
                    EnRouteAt = Time(r, 18),
                    OnSceneAt = Time(r, 19),
                    LeftAt = Time(r, 20),
                    ResolvedAt = Time(r, 21),
                    ClosedAt = Time(r, 22),
                    CancelledAt = Time(r, 23),
                    CancelledByResident = r.GetInt64(24) == 1,
                    EmergencyServicesCalled = r.GetInt64(25) == 1,
                    Outcome = r.IsDBNull(26) ? null : r.GetString(26),
                    Version = r.GetInt32(27),
                    DeclinedBy = [.. r.GetString(28).Split(',', StringSplitOptions.RemoveEmptyEntries)],
                    Breaches = (CallBreaches)r.GetInt32(29),
                });
            }
        }

        for (var i = 0; i < calls.Count; i++)
        {
            calls[i] = calls[i] with { Timeline = Timeline(commands, calls[i].Id) };
        }

        return calls;
    }

    public static CallTimeline Timeline(SqliteConnection connection, long callId) => Timeline(Commands(connection), callId);

    private static CallTimeline Timeline(Func<string, SqliteCommand> commands, long callId)
    {
        using var command = commands("SELECT seq, at, actor, action, from_state, to_state, detail FROM call_timeline WHERE call_id = $id ORDER BY id");
        command.Parameters.AddWithValue("$id", callId);
        using var r = command.ExecuteReader();
        var entries = new List<CallTimelineEntry>();
        while (r.Read())
        {
            var actor = r.GetString(2);
            var colon = actor.IndexOf(':');
            var role = colon > 0 && Enum.TryParse<ActorRole>(actor[..colon], out var parsed) ? parsed : ActorRole.System;
            entries.Add(new CallTimelineEntry(r.GetInt32(0), Time(r, 1)!.Value, new Actor(colon > 0 ? actor[(colon + 1)..] : actor, role),
                Enum.Parse<CallAction>(r.GetString(3)), Enum.Parse<CallState>(r.GetString(4)), Enum.Parse<CallState>(r.GetString(5)), r.IsDBNull(6) ? null : r.GetString(6)));
        }

        return CallTimeline.Create(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries));
    }

    private static object Ms(DateTimeOffset? at) => at is { } value ? value.ToUnixTimeMilliseconds() : DBNull.Value;

    private static DateTimeOffset? Time(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
}

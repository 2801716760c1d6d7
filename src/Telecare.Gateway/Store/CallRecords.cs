using Microsoft.Data.Sqlite;
using Telecare.Core.Calls;
using Telecare.Core.Triage;

namespace Telecare.Gateway.Store;

/// <summary>Rows of calls and their append-only timeline ⇄ Core's <see cref="Call"/>. Times are Unix ms.</summary>
public static class CallRecords
{
    private const string Columns = """
        id, kind, state, priority, event_type, rule, manual, resident_id, zone, device_ref, first_signal_id, reason, raised_at,
        answered_at, answered_by, responder_id, assigned_at, accepted_at, en_route_at, on_scene_at, left_at, resolved_at, closed_at,
        cancelled_at, cancelled_by_resident, emergency_services_called, outcome, version, declined_by, breaches
        """;

    public static long Insert(WriteContext context, Call call, long? zoneId)
    {
        var id = context.Statement("""
            INSERT INTO calls (kind, state, priority, event_type, rule, manual, resident_id, zone_id, zone, device_ref, first_signal_id,
                               reason, summary, raised_at, version)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14)
            """)
            .Bind(1, KindName(call.Kind))
            .Bind(2, StateName(call.State))
            .Bind(3, (long)call.Priority)
            .Bind(4, call.EventType ?? (call.IsManual ? "manual" : "unknown"))
            .Bind(5, call.RuleName)
            .Bind(6, call.IsManual)
            .Bind(7, long.TryParse(call.ResidentId, out var resident) ? resident : null)
            .Bind(8, zoneId)
            .Bind(9, call.Zone)
            .Bind(10, call.DeviceRef)
            .Bind(11, call.TriggerSignalId)
            .Bind(12, call.Reason)
            .Bind(13, call.RaisedAt.ToUnixTimeMilliseconds())
            .Bind(14, (long)call.Version)
            .Insert();
        foreach (var entry in call.Timeline)
        {
            AppendTimeline(context, id, entry);
        }

        return id;
    }

    /// <summary>Saves a transition only if nobody saved another since (optimistic on the version): one of two claims wins.</summary>
    public static bool TryUpdate(WriteContext context, Call updated, CallTimelineEntry entry)
    {
        var changed = context.Statement("""
            UPDATE calls SET state = ?1, priority = ?2, answered_at = ?3, answered_by = ?4, responder_id = ?5,
                assigned_at = ?6, accepted_at = ?7, en_route_at = ?8, on_scene_at = ?9, left_at = ?10,
                resolved_at = ?11, closed_at = ?12, cancelled_at = ?13, cancelled_by_resident = ?14,
                emergency_services_called = ?15, outcome = ?16, version = ?17, declined_by = ?18, breaches = ?19
            WHERE id = ?20 AND version = ?21
            """)
            .Bind(1, StateName(updated.State))
            .Bind(2, (long)updated.Priority)
            .Bind(3, updated.AnsweredAt)
            .Bind(4, updated.HandlerId)
            .Bind(5, long.TryParse(updated.AssignedResponderId, out var responder) ? responder : null)
            .Bind(6, updated.AssignedAt)
            .Bind(7, updated.AcceptedAt)
            .Bind(8, updated.EnRouteAt)
            .Bind(9, updated.OnSceneAt)
            .Bind(10, updated.LeftAt)
            .Bind(11, updated.ResolvedAt)
            .Bind(12, updated.ClosedAt)
            .Bind(13, updated.CancelledAt)
            .Bind(14, updated.CancelledByResident)
            .Bind(15, updated.EmergencyServicesCalled)
            .Bind(16, updated.Outcome)
            .Bind(17, (long)updated.Version)
            .Bind(18, updated.DeclinedBy.IsEmpty ? "" : string.Join(',', updated.DeclinedBy))
            .Bind(19, (long)updated.Breaches)
            .Bind(20, updated.Id)
            .Bind(21, (long)(updated.Version - 1))
            .Execute();
        if (changed != 1)
        {
            return false;
        }

        AppendTimeline(context, updated.Id, entry);
        return true;
    }

    public static void AppendTimeline(WriteContext context, long callId, CallTimelineEntry entry) =>
        context.Statement("""
            INSERT INTO call_timeline (call_id, seq, at, actor, action, from_state, to_state, detail)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
            .Bind(1, callId)
            .Bind(2, (long)entry.Sequence)
            .Bind(3, entry.At.ToUnixTimeMilliseconds())
            .Bind(4, entry.Actor.ToString())
            .Bind(5, ActionName(entry.Action))
            .Bind(6, StateName(entry.From))
            .Bind(7, StateName(entry.To))
            .Bind(8, entry.Detail)
            .Insert();

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

    // Enum names as stored, without formatting a new string for every row.
    private static readonly Dictionary<CallState, string> StateNames = Enum.GetValues<CallState>().ToDictionary(s => s, s => s.ToString());
    private static readonly Dictionary<CallAction, string> ActionNames = Enum.GetValues<CallAction>().ToDictionary(a => a, a => a.ToString());
    private static readonly Dictionary<CallKind, string> KindNames = Enum.GetValues<CallKind>().ToDictionary(k => k, k => k.ToString());

    private static string StateName(CallState state) => StateNames[state];

    private static string ActionName(CallAction action) => ActionNames[action];

    private static string KindName(CallKind kind) => KindNames[kind];

    private static DateTimeOffset? Time(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
}

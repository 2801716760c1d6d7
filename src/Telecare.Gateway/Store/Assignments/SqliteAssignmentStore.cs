using System.Globalization;
using Microsoft.Data.Sqlite;
using Telecare.Core.Assignments;
using Telecare.Core.Audit;
using Telecare.Core.Calls;
using Telecare.Core.Store;
using Telecare.Core.Triage;
using Telecare.Gateway.Store.Audit;

namespace Telecare.Gateway.Store.Assignments;

/// <summary>Assignments in SQLite. Writes run in the writer unit the caller is in, beside the call transition they belong to.</summary>
internal sealed class SqliteAssignmentStore(SqliteConnectionFactory store) : IAssignmentStore, IAssignmentWrites
{
    private const string Select = """
        SELECT a.id, a.call_id, a.responder_id, a.state, c.priority, c.event_type, c.resident_id, a.assigned_at, a.accepted_at,
               a.en_route_at, a.arrived_at, a.left_at, a.completed_at, a.outcome
        FROM assignments a JOIN calls c ON c.id = a.call_id
        """;

    public ValueTask<Assignment?> GetAsync(long assignmentId, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        return ValueTask.FromResult(Read(connection, "WHERE a.id = $id", ("$id", assignmentId)).FirstOrDefault());
    }

    public ValueTask<IReadOnlyList<Assignment>> CurrentAsync(long responderId, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        return ValueTask.FromResult<IReadOnlyList<Assignment>>(Read(connection, """
            WHERE a.responder_id = $responder AND a.state NOT IN ('Declined', 'Withdrawn') AND (a.state <> 'Completed' OR a.left_at IS NULL)
            ORDER BY a.id
            """, ("$responder", responderId)));
    }

    public ValueTask<IReadOnlyDictionary<long, int>> OpenCountsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("""
            SELECT responder_id, COUNT(*) FROM assignments WHERE state IN ('Offered', 'Accepted', 'EnRoute', 'Arrived') GROUP BY responder_id
            """);
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<long, int>();
        while (reader.Read())
        {
            counts[reader.GetInt64(0)] = reader.GetInt32(1);
        }

        return ValueTask.FromResult<IReadOnlyDictionary<long, int>>(counts);
    }

    public AssignmentOffer Offer(IStoreUnit writerUnit, long callId, long responderId, long? residentId, DateTimeOffset at, string assignedBy)
    {
        var unit = (WriteContext)writerUnit;
        long? withdrawn = null;
        long? withdrawnFrom = null;
        using (var previous = unit.Command("""
            UPDATE assignments SET state = 'Withdrawn' WHERE call_id = $call AND state NOT IN ('Declined', 'Withdrawn', 'Completed')
            RETURNING id, responder_id
            """, ("$call", callId)))
        using (var reader = previous.ExecuteReader())
        {
            if (reader.Read())
            {
                withdrawn = reader.GetInt64(0);
                withdrawnFrom = reader.GetInt64(1);
            }
        }

        using var insert = unit.Command("""
            INSERT INTO assignments (call_id, responder_id, state, assigned_at, assigned_by) VALUES ($call, $responder, 'Offered', $at, $by) RETURNING id
            """, ("$call", callId), ("$responder", responderId), ("$at", at.ToUnixTimeMilliseconds()), ("$by", assignedBy));
        var offered = (long)insert.ExecuteScalar()!;
        if (residentId is { } resident)
        {
            var responder = Actor.Responder(responderId.ToString(CultureInfo.InvariantCulture)).ToString();
            AuditTrail.Append(unit, at, responder, AuditActions.ResidentAccessDetailsDeliver, $"resident/{resident}", $"call {callId}");
        }

        return new AssignmentOffer(offered, withdrawn, withdrawnFrom);
    }

    public void Record(IStoreUnit writerUnit, long assignmentId, AssignmentState state, DateTimeOffset at, string? outcome)
    {
        var unit = (WriteContext)writerUnit;
        var column = state switch
        {
            AssignmentState.Accepted => "accepted_at",
            AssignmentState.Declined => "declined_at",
            AssignmentState.EnRoute => "en_route_at",
            AssignmentState.Arrived => "arrived_at",
            AssignmentState.Left => "left_at",
            AssignmentState.Completed => "completed_at",
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a responder's tap."),
        };
        using var update = unit.Command($"""
            UPDATE assignments SET {column} = $at, state = CASE WHEN state = 'Completed' THEN state ELSE $state END,
                outcome = COALESCE($outcome, outcome)
            WHERE id = $id
            """, ("$at", at.ToUnixTimeMilliseconds()), ("$state", state.ToString()), ("$outcome", outcome), ("$id", assignmentId));
        update.ExecuteNonQuery();
    }

    private static List<Assignment> Read(SqliteConnection connection, string where, params (string Name, object? Value)[] parameters)
    {
        var assignments = new List<Assignment>();
        using (var command = connection.Command($"{Select} {where}", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                assignments.Add(new Assignment(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), Enum.Parse<AssignmentState>(reader.GetString(3)),
                    (TriagePriority)reader.GetInt32(4), reader.GetString(5), reader.GetInt64OrNull(6), reader.GetTime(7), reader.GetTimeOrNull(8),
                    reader.GetTimeOrNull(9), reader.GetTimeOrNull(10), reader.GetTimeOrNull(11), reader.GetTimeOrNull(12), reader.GetStringOrNull(13), []));
            }
        }

        for (var i = 0; i < assignments.Count; i++)
        {
            assignments[i] = assignments[i] with { HandlerNotes = HandlerNotes(connection, assignments[i].CallId) };
        }

        return assignments;
    }

    /// <summary>The notes handlers added to the call, oldest first.</summary>
    private static List<string> HandlerNotes(SqliteConnection connection, long callId) =>
        [.. CallRecords.Timeline(connection, callId).Where(e => e.Action == CallAction.AddNote && e.Detail is not null).Select(e => e.Detail!)];
}

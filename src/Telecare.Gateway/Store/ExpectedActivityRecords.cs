using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telecare.Core.Signals;
using Telecare.Core.Timers;

namespace Telecare.Gateway.Store;

/// <summary>
/// Expected-activity rules as stored on residents, and what the store knows of each resident's movement, so the
/// timer loop can rebuild its whole state from the store on every round (nothing to lose in a restart).
/// </summary>
internal static class ExpectedActivityRecords
{
    /// <summary>How far back a resident's movement is looked for: longer than any rule's day or night.</summary>
    private static readonly TimeSpan LookBack = TimeSpan.FromHours(36);

    private static readonly string MovementList = string.Join(", ", ActivityEvents.Movement.Select(e => $"'{e}'"));

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static List<ExpectedActivityDefinition> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<ExpectedActivityDefinition>>(json, Json) ?? [];

    public static List<WatchedResident> Load(SqliteConnection connection, DateTimeOffset now)
    {
        var watched = new List<WatchedResident>();
        using (var command = connection.Command("""
            SELECT r.id, z.name, r.expected_activity, r.expected_activity_set_at
            FROM residents r LEFT JOIN zones z ON z.id = r.zone_id
            WHERE r.expected_activity IS NOT NULL AND r.expected_activity <> '[]'
            """))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var rules = Parse(reader.GetString(2)).Select(d => d.ToExpectedActivity()).ToList();
                var id = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
                watched.Add(new WatchedResident(new ResidentActivity(id, reader.GetStringOrNull(1), rules, null, null), reader.GetTimeOrNull(3) ?? DateTimeOffset.MinValue));
            }
        }

        var since = (now - LookBack).ToUnixTimeMilliseconds();
        for (var i = 0; i < watched.Count; i++)
        {
            var residentId = long.Parse(watched[i].Activity.ResidentId, CultureInfo.InvariantCulture);
            watched[i] = watched[i] with
            {
                Activity = watched[i].Activity with
                {
                    LastMovementAt = LastMovement(connection, residentId, since),
                    OutOfBedSince = OutOfBedSince(connection, residentId, since),
                    LastRaised = LastRaised(connection, residentId),
                },
            };
        }

        return watched;
    }

    /// <summary>Records the occurrence a rule raised a call for, in the same unit as the call.</summary>
    public static void MarkRaised(Telecare.Core.Store.IStoreUnit unit, long residentId, string name, DateTimeOffset occurrence, long callId)
    {
        var context = (WriteContext)unit;
        using var command = context.Command("""
            INSERT INTO expected_activity_raised (resident_id, name, occurrence, call_id) VALUES ($resident, $name, $occurrence, $call)
            ON CONFLICT (resident_id, name) DO UPDATE SET occurrence = excluded.occurrence, call_id = excluded.call_id
            """);
        command.Parameters.AddWithValue("$resident", residentId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$occurrence", occurrence.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$call", callId);
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset? LastMovement(SqliteConnection connection, long residentId, long since)
    {
        using var command = connection.Command($"""
            SELECT MAX(s.received_at) FROM devices d JOIN signals s ON s.device_ref = d.device_id
            WHERE d.resident_id = $resident AND s.received_at >= $since AND s.rejection_reason IS NULL
              AND (s.event_type IN ({MovementList}) OR (s.event_type = '{EventTypes.Inactivity}' AND s.restore = 1))
            """, ("$resident", residentId), ("$since", since));
        return command.ExecuteScalar() is long at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;
    }

    /// <summary>When the resident got out of bed, if the latest bed signal says they are still out.</summary>
    private static DateTimeOffset? OutOfBedSince(SqliteConnection connection, long residentId, long since)
    {
        using var command = connection.Command($"""
            SELECT s.restore, s.received_at FROM devices d JOIN signals s ON s.device_ref = d.device_id
            WHERE d.resident_id = $resident AND s.received_at >= $since AND s.rejection_reason IS NULL
              AND s.event_type = '{EventTypes.BedAbsent}'
            ORDER BY s.received_at DESC, s.id DESC LIMIT 1
            """, ("$resident", residentId), ("$since", since));
        using var reader = command.ExecuteReader();
        return reader.Read() && reader.GetInt64(0) == 0 ? DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)) : null;
    }

    private static Dictionary<string, DateTimeOffset> LastRaised(SqliteConnection connection, long residentId)
    {
        using var command = connection.Command("SELECT name, occurrence FROM expected_activity_raised WHERE resident_id = $resident", ("$resident", residentId));
        using var reader = command.ExecuteReader();
        var raised = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (reader.Read())
        {
            raised[reader.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        }

        return raised;
    }
}

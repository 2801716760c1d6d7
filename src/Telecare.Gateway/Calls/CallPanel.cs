using System.Globalization;
using Microsoft.Data.Sqlite;
using Telecare.Core.Calls;
using Telecare.Core.Responders;
using Telecare.Gateway.Admin;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Everything a handler needs on one screen for a call: the resident (medical notes, contacts and keyholders, flags),
/// their devices and last check-ins, the signals on this call, their recent calls, the outcome codes, and the
/// responders with the suggested one first. Access details are not here: they are revealed on request, audited.
/// </summary>
public static class CallPanel
{
    public sealed record ResidentPanel(long Id, string Name, string Address, string? Postcode, string? Phone, string? ZoneName,
        IReadOnlyList<string> Flags, string? MedicalNotes, bool HasAccessDetails, IReadOnlyList<ResidentEndpoints.ContactView> Contacts);

    public sealed record DevicePanel(string DeviceId, string Type, DateTimeOffset? LastCheckIn, int? Battery, bool TestMode, string Status);

    public sealed record SignalPanel(long Id, string DeviceId, string EventType, bool Restore, DateTimeOffset ReceivedAt, string Source);

    public sealed record RecentCall(long Id, string EventType, string State, string? Outcome, DateTimeOffset RaisedAt);

    public sealed record ResponderChoice(long Id, string Name, bool OnDuty, string? ZoneName, int OpenWork, bool Suggested, bool SameZone, double? DistanceKm);

    public sealed record View(
        CallView Call, ResidentPanel? Resident, IReadOnlyList<DevicePanel> Devices, IReadOnlyList<SignalPanel> Signals,
        IReadOnlyList<RecentCall> RecentCalls, IReadOnlyList<string> OutcomeCodes, IReadOnlyList<ResponderChoice> Responders,
        long? SuggestedResponderId);

    public static View Build(SqliteConnection connection, Call call, CallView view, ResidentSecrets secrets, TimeProvider time)
    {
        var residentId = long.TryParse(call.ResidentId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : (long?)null;
        var resident = residentId is { } r ? Resident(connection, r, secrets) : null;
        var (responders, suggested) = Responders(connection, call, view.ZoneName);
        return new View(view, resident, Devices(connection, residentId, call.DeviceRef, time), Signals(connection, call.Id),
            residentId is { } rid ? Recent(connection, rid, call.Id) : [], [.. CallOutcomeCatalog.Default.All.Select(o => o.Code)], responders, suggested);
    }

    private static ResidentPanel? Resident(SqliteConnection connection, long id, ResidentSecrets secrets)
    {
        using var command = Db.Query(connection, """
            SELECT r.first_name || ' ' || r.last_name, r.address, r.postcode, r.phone, z.name, r.flags, r.medical_notes_protected,
                   r.access_details_protected IS NOT NULL
            FROM residents r LEFT JOIN zones z ON z.id = r.zone_id WHERE r.id = $id
            """, ("$id", id));
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var resident = new ResidentPanel(id, r.GetString(0), r.GetString(1), r.Str(2), r.Str(3), r.Str(4),
            r.GetString(5).Split(',', StringSplitOptions.RemoveEmptyEntries), secrets.Unprotect(r.Str(6)), r.GetInt64(7) == 1, []);
        r.Close();
        return resident with { Contacts = ResidentEndpoints.Contacts(connection, id) };
    }

    private static List<DevicePanel> Devices(SqliteConnection connection, long? residentId, string? deviceRef, TimeProvider time)
    {
        using var command = Db.Query(connection, """
            SELECT device_id, type, last_checkin_at, battery, test_mode_until, status FROM devices
            WHERE (resident_id = $resident AND $resident IS NOT NULL) OR device_id = $device ORDER BY type, device_id
            """, ("$resident", residentId), ("$device", deviceRef));
        using var r = command.ExecuteReader();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var list = new List<DevicePanel>();
        while (r.Read())
        {
            list.Add(new DevicePanel(r.GetString(0), r.GetString(1), r.Time(2), (int?)r.Long(3), !r.IsDBNull(4) && r.GetInt64(4) > now, r.GetString(5)));
        }

        return list;
    }

    private static List<SignalPanel> Signals(SqliteConnection connection, long callId)
    {
        using var command = Db.Query(connection,
            "SELECT id, device_ref, event_type, restore, received_at, source FROM signals WHERE call_id = $id ORDER BY id", ("$id", callId));
        using var r = command.ExecuteReader();
        var list = new List<SignalPanel>();
        while (r.Read())
        {
            list.Add(new SignalPanel(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3) == 1, r.Time(4)!.Value,
                ((Telecare.Core.Signals.SignalSource)r.GetInt32(5)).ToString().ToLowerInvariant()));
        }

        return list;
    }

    private static List<RecentCall> Recent(SqliteConnection connection, long residentId, long callId)
    {
        using var command = Db.Query(connection, """
            SELECT id, event_type, state, outcome, raised_at FROM calls WHERE resident_id = $resident AND id <> $call
            ORDER BY raised_at DESC LIMIT 10
            """, ("$resident", residentId), ("$call", callId));
        using var r = command.ExecuteReader();
        var list = new List<RecentCall>();
        while (r.Read())
        {
            list.Add(new RecentCall(r.GetInt64(0), r.GetString(1), r.GetString(2), r.Str(3), r.Time(4)!.Value));
        }

        return list;
    }

    /// <summary>Every active responder; the suggestion (on duty, free, same zone, least open work, nearest) first.</summary>
    private static (List<ResponderChoice> Choices, long? Suggested) Responders(SqliteConnection connection, Call call, string? zone)
    {
        using var command = Db.Query(connection, """
            SELECT r.id, r.name, r.on_duty, z.name, r.latitude, r.longitude,
                   (SELECT COUNT(*) FROM assignments a WHERE a.responder_id = r.id AND a.state IN ('Offered', 'Accepted', 'EnRoute', 'Arrived'))
            FROM responders r LEFT JOIN zones z ON z.id = r.zone_id WHERE r.active = 1 ORDER BY r.name
            """);
        using var r = command.ExecuteReader();
        var candidates = new List<ResponderCandidate>();
        while (r.Read())
        {
            var open = r.GetInt32(6);
            candidates.Add(new ResponderCandidate(r.GetInt64(0).ToString(CultureInfo.InvariantCulture), r.GetString(1), r.GetInt64(2) == 1,
                Available: true, r.Str(3), open, r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5)));
        }

        var ranked = ResponderSuggester.Suggest(candidates, zone, exclude: call.DeclinedBy);
        var suggested = ranked.Count > 0 ? long.Parse(ranked[0].Responder.Id, CultureInfo.InvariantCulture) : (long?)null;
        var order = ranked.Select((s, i) => (s.Responder.Id, i, s.SameZone, s.DistanceKm)).ToDictionary(x => x.Id);
        var choices = candidates
            .Select(c => (Candidate: c, Rank: order.TryGetValue(c.Id, out var o) ? o : (c.Id, int.MaxValue, false, (double?)null)))
            .OrderBy(x => x.Rank.Item2).ThenBy(x => x.Candidate.Name, StringComparer.OrdinalIgnoreCase)
            .Select(x => new ResponderChoice(long.Parse(x.Candidate.Id, CultureInfo.InvariantCulture), x.Candidate.Name ?? "", x.Candidate.OnDuty, x.Candidate.Zone,
                x.Candidate.OpenAssignments, long.Parse(x.Candidate.Id, CultureInfo.InvariantCulture) == suggested, x.Rank.Item3, x.Rank.Item4))
            .ToList();
        return (choices, suggested);
    }
}

using System.Globalization;
using Telecare.Core.Calls;
using Telecare.Gateway.Admin;
using Telecare.Gateway.Hubs;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>Reads what triage and the consoles need to know about a device, a resident and a responder.</summary>
public sealed class CallDirectory(SqliteConnectionFactory store, TimeProvider time)
{
    public sealed record DeviceInfo(long Id, string Type, long? ResidentId, bool TestMode, string? ZoneName, long? ZoneId, IReadOnlyList<string> Flags);

    public sealed record ResidentInfo(long Id, string Name, string Address, string? Postcode, long? ZoneId, string? ZoneName, IReadOnlyList<string> Flags, string? AccessProtected);

    /// <summary>An active device by its reference (MQTT id, or "receiver/account"), with its resident's zone and flags.</summary>
    public DeviceInfo? FindDevice(string deviceRef)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection, """
            SELECT d.id, d.type, d.resident_id, d.test_mode_until, z.name, r.zone_id, r.flags
            FROM devices d LEFT JOIN residents r ON r.id = d.resident_id LEFT JOIN zones z ON z.id = r.zone_id
            WHERE d.device_id = $ref AND d.status = 'active'
            """, ("$ref", deviceRef));
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var testMode = !r.IsDBNull(3) && r.GetInt64(3) > time.GetUtcNow().ToUnixTimeMilliseconds();
        return new DeviceInfo(r.GetInt64(0), r.GetString(1), r.Long(2), testMode, r.Str(4), r.Long(5),
            (r.Str(6) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    public ResidentInfo? FindResident(long id)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection, """
            SELECT r.id, r.first_name || ' ' || r.last_name, r.address, r.postcode, r.zone_id, z.name, r.flags, r.access_details_protected
            FROM residents r LEFT JOIN zones z ON z.id = r.zone_id WHERE r.id = $id
            """, ("$id", id));
        using var r = command.ExecuteReader();
        return r.Read()
            ? new ResidentInfo(r.GetInt64(0), r.GetString(1), r.GetString(2), r.Str(3), r.Long(4), r.Str(5), r.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries), r.Str(7))
            : null;
    }

    public string? ResponderName(string? responderId)
    {
        if (!long.TryParse(responderId, out var id))
        {
            return null;
        }

        using var connection = store.OpenReader();
        using var command = Db.Query(connection, "SELECT name FROM responders WHERE id = $id", ("$id", id));
        return command.ExecuteScalar() as string;
    }

    public string? DeviceType(string? deviceRef)
    {
        if (deviceRef is null)
        {
            return null;
        }

        using var connection = store.OpenReader();
        using var command = Db.Query(connection, "SELECT type FROM devices WHERE device_id = $ref", ("$ref", deviceRef));
        return command.ExecuteScalar() as string;
    }

    /// <summary>The console's view of a call: the call plus who and where.</summary>
    public CallView ToView(Call call)
    {
        var resident = long.TryParse(call.ResidentId, out var residentId) ? FindResident(residentId) : null;
        return new CallView
        {
            Id = call.Id,
            Kind = call.Kind switch { CallKind.Technical => "technical", CallKind.Wellbeing => "wellbeing", _ => "alarm" },
            State = call.State.ToString(),
            Priority = (int)call.Priority,
            EventType = call.EventType ?? (call.IsManual ? "manual" : "unknown"),
            Rule = call.RuleName,
            Manual = call.IsManual,
            Summary = call.Reason,
            ResidentId = resident?.Id,
            ResidentName = resident?.Name,
            Address = resident is null ? null : $"{resident.Address}{(resident.Postcode is null ? "" : ", " + resident.Postcode)}",
            ZoneId = resident?.ZoneId,
            ZoneName = resident?.ZoneName ?? call.Zone,
            Flags = resident?.Flags ?? [],
            DeviceId = call.DeviceRef,
            DeviceType = DeviceType(call.DeviceRef),
            RaisedAt = call.RaisedAt,
            AnsweredAt = call.AnsweredAt,
            AnsweredBy = call.HandlerId,
            ResponderId = long.TryParse(call.AssignedResponderId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var responder) ? responder : null,
            ResponderName = ResponderName(call.AssignedResponderId),
            AssignedAt = call.AssignedAt,
            AcceptedAt = call.AcceptedAt,
            EnRouteAt = call.EnRouteAt,
            OnSceneAt = call.OnSceneAt,
            ResolvedAt = call.ResolvedAt,
            Outcome = call.Outcome,
            EmergencyServicesCalled = call.EmergencyServicesCalled,
            CancelledByResident = call.CancelledByResident,
            Version = call.Version,
        };
    }
}

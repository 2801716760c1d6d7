using Telecare.Core.Registry;
using Telecare.Gateway.Store.Accounts;

namespace Telecare.Gateway.Store.Registry;

internal sealed class SqliteRegistryImport(StoreWriter writer, TimeProvider time) : IRegistryImport
{
    public async ValueTask ImportAsync(RegistryImport registry, CancellationToken cancellationToken = default) =>
        await writer.ExecuteAsync(context =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var user in registry.Users)
            {
                SqliteUserStore.Insert(context, user, now);
            }

            foreach (var zone in registry.Zones)
            {
                var zoneId = UpsertZone(context, zone.Zone, now);
                foreach (var responder in zone.Responders)
                {
                    var userId = SqliteUserStore.Insert(context, responder.Login, now);
                    InsertResponder(context, responder.Responder, userId, zoneId, now);
                }

                foreach (var resident in zone.Residents)
                {
                    var residentId = SqliteResidentStore.Insert(context, resident.Resident, zoneId, now);
                    foreach (var device in resident.Devices)
                    {
                        SqliteDeviceStore.Insert(context, device, residentId, now);
                    }
                }
            }
        }, cancellationToken);

    /// <summary>A zone of that name may exist already (created by hand before the import): it is reused.</summary>
    private static long UpsertZone(WriteContext context, ZoneDraft zone, long now)
    {
        using var command = context.Command("""
            INSERT INTO zones (name, attendance_target_minutes, created_at) VALUES ($name, $target, $now)
            ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id
            """, ("$name", zone.Name), ("$target", zone.AttendanceTargetMinutes), ("$now", now));
        return (long)command.ExecuteScalar()!;
    }

    private static void InsertResponder(WriteContext context, ResponderDraft responder, long userId, long zoneId, long now)
    {
        using var command = context.Command("""
            INSERT INTO responders (user_id, name, phone, zone_id, on_duty, latitude, longitude, created_at)
            VALUES ($user, $name, $phone, $zone, $duty, $lat, $lon, $now)
            """, ("$user", userId), ("$name", responder.Name), ("$phone", responder.Phone), ("$zone", zoneId), ("$duty", responder.OnDuty ? 1 : 0),
            ("$lat", responder.Latitude), ("$lon", responder.Longitude), ("$now", now));
        command.ExecuteNonQuery();
    }
}

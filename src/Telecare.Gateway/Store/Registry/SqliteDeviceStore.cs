using Microsoft.Data.Sqlite;
using Telecare.Core.Audit;
using Telecare.Core.Registry;
using Telecare.Gateway.Store.Audit;

namespace Telecare.Gateway.Store.Registry;

internal sealed class SqliteDeviceStore(StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) : IDeviceStore
{
    public ValueTask<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<Device>>(Read(null));

    public ValueTask<Device?> GetAsync(long id, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(id).FirstOrDefault());

    public ValueTask<IReadOnlyList<Device>> ListForCallAsync(long? residentId, string? deviceId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Device>>(Select(
            "WHERE (resident_id = $resident AND $resident IS NOT NULL) OR device_id = $device ORDER BY type, device_id",
            ("$resident", residentId), ("$device", deviceId)));

    public async ValueTask<SaveResult<Device>> RegisterAsync(DeviceRegistration device, string actor, CancellationToken cancellationToken = default)
    {
        try
        {
            var (outcome, id) = await writer.ExecuteAsync(context =>
            {
                if (device.ResidentId is { } resident && !SqliteRegistryChecks.ResidentExists(context, resident))
                {
                    return (SaveOutcome.ResidentMissing, 0L);
                }

                var newId = Insert(context, device, device.ResidentId, time.GetUtcNow().ToUnixTimeMilliseconds());
                AuditTrail.Append(context, time.GetUtcNow(), actor, AuditActions.DeviceRegister, $"device/{newId}", $"{device.Type} {device.DeviceId}");
                return (SaveOutcome.Saved, newId);
            }, cancellationToken);
            return Answer(outcome, id);
        }
        catch (SqliteException ex) when (SqliteErrors.IsUniqueViolation(ex))
        {
            return SaveResult<Device>.Failed(SaveOutcome.Duplicate);
        }
    }

    public ValueTask<SaveResult<Device>> UpdateAsync(long id, DeviceSettings settings, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, AuditActions.DeviceUpdate, context =>
        {
            using var command = context.Command("""
                UPDATE devices SET checkin_interval_seconds = $interval, allocation_condition = $condition, allocation_reason = $reason
                WHERE id = $id
                """, ("$interval", settings.CheckinIntervalSeconds), ("$condition", settings.AllocationCondition), ("$reason", settings.AllocationReason), ("$id", id));
            command.ExecuteNonQuery();
            return SaveOutcome.Saved;
        }, cancellationToken);

    public ValueTask<SaveResult<Device>> BindToResidentAsync(long id, long? residentId, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, AuditActions.DeviceBind, context =>
        {
            if (residentId is { } resident && !SqliteRegistryChecks.ResidentExists(context, resident))
            {
                return SaveOutcome.ResidentMissing;
            }

            using var command = context.Command("UPDATE devices SET resident_id = $resident WHERE id = $id", ("$resident", residentId), ("$id", id));
            command.ExecuteNonQuery();
            return SaveOutcome.Saved;
        }, cancellationToken);

    public ValueTask<SaveResult<Device>> SetTestModeAsync(long id, DateTimeOffset? until, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, AuditActions.DeviceTestMode, context =>
        {
            using var command = context.Command("UPDATE devices SET test_mode_until = $until WHERE id = $id", ("$until", until?.ToUnixTimeMilliseconds()), ("$id", id));
            command.ExecuteNonQuery();
            return SaveOutcome.Saved;
        }, cancellationToken);

    public async ValueTask<SaveResult<Device>> RetireAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        var outcome = await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("UPDATE devices SET status = 'retired', retired_at = $now WHERE id = $id AND status = 'active' RETURNING id",
                ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("$id", id));
            if (command.ExecuteScalar() is null)
            {
                return SqliteRegistryChecks.DeviceExists(context, id) ? SaveOutcome.Retired : SaveOutcome.NotFound;
            }

            AuditTrail.Append(context, time.GetUtcNow(), actor, AuditActions.DeviceRetire, $"device/{id}");
            return SaveOutcome.Saved;
        }, cancellationToken);
        return Answer(outcome, id);
    }

    /// <summary>Inserts a device inside the caller's unit (also the registry import's); returns its id.</summary>
    internal static long Insert(WriteContext context, DeviceRegistration device, long? residentId, long now)
    {
        using var command = context.Command("""
            INSERT INTO devices (device_id, type, resident_id, secret_hash, receiver_id, account, sensor_zone,
                                 checkin_interval_seconds, allocation_condition, allocation_reason, created_at)
            VALUES ($device, $type, $resident, $hash, $receiver, $account, $zone, $interval, $condition, $reason, $now)
            RETURNING id
            """, ("$device", device.DeviceId), ("$type", device.Type), ("$resident", residentId), ("$hash", device.SecretHash),
            ("$receiver", device.ReceiverId), ("$account", device.Account), ("$zone", device.SensorZone), ("$interval", device.CheckinIntervalSeconds),
            ("$condition", device.AllocationCondition), ("$reason", device.AllocationReason), ("$now", now));
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>A change to a device that is not retired, audited in the same unit when it succeeds.</summary>
    private async ValueTask<SaveResult<Device>> ChangeAsync(long id, string actor, string action, Func<WriteContext, SaveOutcome> change, CancellationToken cancellationToken)
    {
        var outcome = await writer.ExecuteAsync(context =>
        {
            using (var status = context.Command("SELECT status FROM devices WHERE id = $id", ("$id", id)))
            {
                switch (status.ExecuteScalar())
                {
                    case null:
                        return SaveOutcome.NotFound;
                    case "retired":
                        return SaveOutcome.Retired;
                }
            }

            var changed = change(context);
            if (changed == SaveOutcome.Saved)
            {
                AuditTrail.Append(context, time.GetUtcNow(), actor, action, $"device/{id}");
            }

            return changed;
        }, cancellationToken);
        return Answer(outcome, id);
    }

    /// <summary>After the commit: the device as stored now, or the outcome that stopped the change.</summary>
    private SaveResult<Device> Answer(SaveOutcome outcome, long id) =>
        outcome == SaveOutcome.Saved ? SaveResult<Device>.Saved(Read(id).Single()) : SaveResult<Device>.Failed(outcome);

    private List<Device> Read(long? id) => Select("WHERE $id IS NULL OR id = $id ORDER BY id LIMIT 5000", ("$id", id));

    private List<Device> Select(string where, params (string Name, object? Value)[] parameters)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command($"""
            SELECT id, device_id, type, resident_id, receiver_id, account, sensor_zone, test_mode_until, checkin_interval_seconds,
                   last_checkin_at, battery, allocation_condition, allocation_reason, status, created_at, retired_at
            FROM devices {where}
            """, parameters);
        using var reader = command.ExecuteReader();
        var devices = new List<Device>();
        while (reader.Read())
        {
            devices.Add(new Device(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64OrNull(3), reader.GetStringOrNull(4),
                reader.GetStringOrNull(5), reader.GetStringOrNull(6), reader.GetTimeOrNull(7), (int?)reader.GetInt64OrNull(8), reader.GetTimeOrNull(9),
                (int?)reader.GetInt64OrNull(10), reader.GetStringOrNull(11), reader.GetStringOrNull(12), reader.GetString(13), reader.GetTime(14),
                reader.GetTimeOrNull(15)));
        }

        return devices;
    }
}

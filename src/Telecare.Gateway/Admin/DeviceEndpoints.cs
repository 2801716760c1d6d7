using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

/// <summary>
/// Devices: MQTT devices get a secret at registration, shown once and stored hashed; receiver accounts are identified
/// as "{receiverId}/{account}" (the serial ingress's device reference). Bind to a resident, test mode with an expiry,
/// check-in interval, why it was allocated, retire. Every change republishes an MQTT device's retained config.
/// </summary>
public static class DeviceEndpoints
{
    public static readonly IReadOnlyList<string> Types =
        ["pendant", "fall-detector", "smoke", "heat", "co", "gas", "flood", "temperature", "door", "bed", "chair", "pir", "hub", "receiver-account"];

    public sealed class RegisterRequest : IValidatableObject
    {
        [Required]
        public string? Type { get; set; }

        /// <summary>The MQTT client id / username for an MQTT device.</summary>
        [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "must be 1-64 letters, digits, '_', '.' or '-'")]
        public string? DeviceId { get; set; }

        [RegularExpression("^[A-Za-z0-9_-]{1,32}$", ErrorMessage = "must be 1-32 letters, digits, '_' or '-'")]
        public string? ReceiverId { get; set; }

        [RegularExpression("^[0-9A-Fa-f]{4,6}$", ErrorMessage = "must be 4-6 hex digits")]
        public string? Account { get; set; }

        [StringLength(8)]
        public string? SensorZone { get; set; }

        public long? ResidentId { get; set; }

        [Range(30, 7 * 24 * 3600)]
        public int? CheckinIntervalSeconds { get; set; }

        [StringLength(200)]
        public string? AllocationCondition { get; set; }

        [StringLength(1000)]
        public string? AllocationReason { get; set; }

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Type is not null && !Types.Contains(Type))
            {
                yield return new ValidationResult($"must be one of {string.Join(", ", Types)}", [nameof(Type)]);
            }

            var isAccount = ReceiverId is not null || Account is not null;
            if (isAccount && (ReceiverId is null || Account is null))
            {
                yield return new ValidationResult("a receiver account needs both receiverId and account", [ReceiverId is null ? nameof(ReceiverId) : nameof(Account)]);
            }

            if (!isAccount && DeviceId is null)
            {
                yield return new ValidationResult("required for an MQTT device (or give receiverId and account)", [nameof(DeviceId)]);
            }
        }
    }

    public sealed class UpdateRequest
    {
        [Range(30, 7 * 24 * 3600)]
        public int? CheckinIntervalSeconds { get; set; }

        [StringLength(200)]
        public string? AllocationCondition { get; set; }

        [StringLength(1000)]
        public string? AllocationReason { get; set; }
    }

    public sealed class BindingRequest
    {
        /// <summary>The resident to bind to; null unbinds.</summary>
        public long? ResidentId { get; set; }
    }

    public sealed class TestModeRequest
    {
        [Required]
        public bool? Enabled { get; set; }

        /// <summary>How long test mode lasts (default 60 minutes); it ends by itself so a forgotten device goes live again.</summary>
        [Range(1, 7 * 24 * 60)]
        public int? Minutes { get; set; }
    }

    public sealed record DeviceView(
        long Id, string DeviceId, string Type, long? ResidentId, string? ReceiverId, string? Account, string? SensorZone,
        DateTimeOffset? TestModeUntil, int? CheckinIntervalSeconds, DateTimeOffset? LastCheckinAt, int? Battery,
        string? AllocationCondition, string? AllocationReason, string Status, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

    /// <summary>The registration answer: the only time the secret is ever shown.</summary>
    public sealed record RegisteredDevice(DeviceView Device, string? Secret);

    public static void Map(RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices").WithTags("Devices").RequireAuthorization(Policies.ManageEquipment);
        devices.MapGet("/", (SqliteConnectionFactory store) => TypedResults.Ok(Read(store, null)));
        devices.MapGet("/{id:long}", (long id, SqliteConnectionFactory store) =>
            Read(store, id).FirstOrDefault() is { } device ? Results.Ok(device) : JsonBody.NotFound($"Device {id}"));
        devices.MapPost("/", RegisterAsync);
        devices.MapPut("/{id:long}", (long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, DeviceOutboxService outbox, TimeProvider time) =>
            ChangeAsync<UpdateRequest>(id, http, writer, store, outbox, time, "device.update", (context, body) =>
            {
                using var command = context.Command("""
                    UPDATE devices SET checkin_interval_seconds = $interval, allocation_condition = $condition, allocation_reason = $reason
                    WHERE id = $id
                    """);
                command.Parameters.AddWithValue("$interval", Db.Value(body.CheckinIntervalSeconds));
                command.Parameters.AddWithValue("$condition", Db.Value(body.AllocationCondition));
                command.Parameters.AddWithValue("$reason", Db.Value(body.AllocationReason));
                command.Parameters.AddWithValue("$id", id);
                command.ExecuteNonQuery();
                return null;
            }));
        devices.MapPut("/{id:long}/binding", (long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, DeviceOutboxService outbox, TimeProvider time) =>
            ChangeAsync<BindingRequest>(id, http, writer, store, outbox, time, "device.bind", (context, body) =>
            {
                if (body.ResidentId is { } resident && !ResidentEndpoints.Exists(context, "residents", resident))
                {
                    return JsonBody.Invalid("residentId", $"resident {resident} does not exist");
                }

                using var command = context.Command("UPDATE devices SET resident_id = $resident WHERE id = $id");
                command.Parameters.AddWithValue("$resident", Db.Value(body.ResidentId));
                command.Parameters.AddWithValue("$id", id);
                command.ExecuteNonQuery();
                return null;
            }));
        devices.MapPut("/{id:long}/test-mode", (long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, DeviceOutboxService outbox, TimeProvider time) =>
            ChangeAsync<TestModeRequest>(id, http, writer, store, outbox, time, "device.test-mode", (context, body) =>
            {
                using var command = context.Command("UPDATE devices SET test_mode_until = $until WHERE id = $id");
                command.Parameters.AddWithValue("$until", body.Enabled == true
                    ? time.GetUtcNow().AddMinutes(body.Minutes ?? 60).ToUnixTimeMilliseconds()
                    : DBNull.Value);
                command.Parameters.AddWithValue("$id", id);
                command.ExecuteNonQuery();
                return null;
            }));
        devices.MapPost("/{id:long}/retire", async (long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, DeviceOutboxService outbox, TimeProvider time) =>
        {
            var result = await writer.ExecuteAsync<IResult?>(context =>
            {
                using var command = context.Command("UPDATE devices SET status = 'retired', retired_at = $now WHERE id = $id AND status = 'active' RETURNING id");
                command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$id", id);
                if (command.ExecuteScalar() is null)
                {
                    return ResidentEndpoints.Exists(context, "devices", id) ? JsonBody.Conflict($"Device {id} is already retired.") : JsonBody.NotFound($"Device {id}");
                }

                Audit.Write(context, time.GetUtcNow(), http.User, "device.retire", $"device/{id}");
                return null;
            });
            return result ?? Changed(store, outbox, id);
        });
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, StoreWriter writer, SqliteConnectionFactory store, DeviceOutboxService outbox, TimeProvider time)
    {
        var (body, error) = await JsonBody.ReadAsync<RegisterRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var isAccount = body!.ReceiverId is not null;
        var deviceId = isAccount ? $"{body.ReceiverId}/{body.Account!.ToUpperInvariant()}" : body.DeviceId!;
        var secret = isAccount ? null : Secrets.NewSecret();
        try
        {
            var (failure, id) = await writer.ExecuteAsync<(IResult? Failure, long Id)>(context =>
            {
                if (body.ResidentId is { } resident && !ResidentEndpoints.Exists(context, "residents", resident))
                {
                    return (JsonBody.Invalid("residentId", $"resident {resident} does not exist"), 0);
                }

                using var command = context.Command("""
                    INSERT INTO devices (device_id, type, resident_id, secret_hash, receiver_id, account, sensor_zone,
                                         checkin_interval_seconds, allocation_condition, allocation_reason, created_at)
                    VALUES ($device, $type, $resident, $hash, $receiver, $account, $zone, $interval, $condition, $reason, $now)
                    RETURNING id
                    """);
                var p = command.Parameters;
                p.AddWithValue("$device", deviceId);
                p.AddWithValue("$type", body.Type!);
                p.AddWithValue("$resident", Db.Value(body.ResidentId));
                p.AddWithValue("$hash", Db.Value(secret is null ? null : Secrets.Hash(secret)));
                p.AddWithValue("$receiver", Db.Value(body.ReceiverId));
                p.AddWithValue("$account", Db.Value(body.Account?.ToUpperInvariant()));
                p.AddWithValue("$zone", Db.Value(body.SensorZone));
                p.AddWithValue("$interval", Db.Value(body.CheckinIntervalSeconds));
                p.AddWithValue("$condition", Db.Value(body.AllocationCondition));
                p.AddWithValue("$reason", Db.Value(body.AllocationReason));
                p.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
                var newId = (long)command.ExecuteScalar()!;
                Audit.Write(context, time.GetUtcNow(), http.User, "device.register", $"device/{newId}", $"{body.Type} {deviceId}");
                return (null, newId);
            });
            if (failure is not null)
            {
                return failure;
            }

            var device = Read(store, id).Single();
            outbox.DeviceChanged(device.DeviceId);
            return TypedResults.Created($"/api/v1/devices/{id}", new RegisteredDevice(device, secret));
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            return JsonBody.Conflict($"A device '{deviceId}' is already registered.");
        }
    }

    private static async Task<IResult> ChangeAsync<T>(long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, DeviceOutboxService outbox, TimeProvider time, string action, Func<WriteContext, T, IResult?> change)
        where T : class
    {
        var (body, error) = await JsonBody.ReadAsync<T>(http);
        if (error is not null)
        {
            return error;
        }

        var result = await writer.ExecuteAsync<IResult?>(context =>
        {
            using (var status = context.Command("SELECT status FROM devices WHERE id = $id"))
            {
                status.Parameters.AddWithValue("$id", id);
                switch (status.ExecuteScalar())
                {
                    case null:
                        return JsonBody.NotFound($"Device {id}");
                    case "retired":
                        return JsonBody.Conflict($"Device {id} is retired.");
                }
            }

            var failed = change(context, body!);
            if (failed is null)
            {
                Audit.Write(context, time.GetUtcNow(), http.User, action, $"device/{id}");
            }

            return failed;
        });
        return result ?? Changed(store, outbox, id);
    }

    /// <summary>After a committed change: the answer, and the device's retained MQTT config brought up to date (not awaited).</summary>
    private static IResult Changed(SqliteConnectionFactory store, DeviceOutboxService outbox, long id)
    {
        var device = Read(store, id).Single();
        outbox.DeviceChanged(device.DeviceId);
        return TypedResults.Ok(device);
    }

    internal static List<DeviceView> Read(SqliteConnectionFactory store, long? id)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection, """
            SELECT id, device_id, type, resident_id, receiver_id, account, sensor_zone, test_mode_until, checkin_interval_seconds,
                   last_checkin_at, battery, allocation_condition, allocation_reason, status, created_at, retired_at
            FROM devices WHERE $id IS NULL OR id = $id ORDER BY id LIMIT 5000
            """, ("$id", id));
        using var reader = command.ExecuteReader();
        var devices = new List<DeviceView>();
        while (reader.Read())
        {
            devices.Add(new DeviceView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.Long(3), reader.Str(4), reader.Str(5),
                reader.Str(6), reader.Time(7), (int?)reader.Long(8), reader.Time(9), (int?)reader.Long(10), reader.Str(11), reader.Str(12),
                reader.GetString(13), reader.Time(14)!.Value, reader.Time(15)));
        }

        return devices;
    }
}

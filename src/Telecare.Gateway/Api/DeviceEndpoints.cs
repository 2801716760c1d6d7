using System.ComponentModel.DataAnnotations;
using Telecare.Core.Registry;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

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
        devices.MapGet("/", async (IDeviceStore store) => TypedResults.Ok((await store.ListAsync()).Select(View).ToList()));
        devices.MapGet("/{id:long}", async (long id, IDeviceStore store) =>
            await store.GetAsync(id) is { } device ? Results.Ok(View(device)) : JsonBody.NotFound($"Device {id}"));
        devices.MapPost("/", RegisterAsync);
        devices.MapPut("/{id:long}", (long id, HttpContext http, IDeviceStore store, DeviceOutboxService outbox) =>
            ChangeAsync<UpdateRequest>(id, http, outbox, body =>
                store.UpdateAsync(id, new DeviceSettings(body.CheckinIntervalSeconds, body.AllocationCondition, body.AllocationReason), AuditActor.Of(http.User))));
        devices.MapPut("/{id:long}/binding", (long id, HttpContext http, IDeviceStore store, DeviceOutboxService outbox) =>
            ChangeAsync<BindingRequest>(id, http, outbox, body => store.BindToResidentAsync(id, body.ResidentId, AuditActor.Of(http.User)),
                body => JsonBody.Invalid("residentId", $"resident {body.ResidentId} does not exist")));
        devices.MapPut("/{id:long}/test-mode", (long id, HttpContext http, IDeviceStore store, DeviceOutboxService outbox, TimeProvider time) =>
            ChangeAsync<TestModeRequest>(id, http, outbox, body =>
                store.SetTestModeAsync(id, body.Enabled == true ? time.GetUtcNow().AddMinutes(body.Minutes ?? 60) : null, AuditActor.Of(http.User))));
        devices.MapPost("/{id:long}/retire", async (long id, HttpContext http, IDeviceStore store, DeviceOutboxService outbox) =>
            await store.RetireAsync(id, AuditActor.Of(http.User)) switch
            {
                { Outcome: SaveOutcome.Saved, Value: { } device } => Changed(outbox, device),
                { Outcome: SaveOutcome.Retired } => JsonBody.Conflict($"Device {id} is already retired."),
                _ => JsonBody.NotFound($"Device {id}"),
            });
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, IDeviceStore store, DeviceOutboxService outbox)
    {
        var (body, error) = await JsonBody.ReadAsync<RegisterRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var isAccount = body!.ReceiverId is not null;
        var deviceId = isAccount ? $"{body.ReceiverId}/{body.Account!.ToUpperInvariant()}" : body.DeviceId!;
        var secret = isAccount ? null : Secrets.NewSecret();
        var registration = new DeviceRegistration(deviceId, body.Type!, body.ResidentId, secret is null ? null : Secrets.Hash(secret), body.ReceiverId,
            body.Account?.ToUpperInvariant(), body.SensorZone, body.CheckinIntervalSeconds, body.AllocationCondition, body.AllocationReason);
        switch (await store.RegisterAsync(registration, AuditActor.Of(http.User)))
        {
            case { Outcome: SaveOutcome.Saved, Value: { } device }:
                outbox.DeviceChanged(device.DeviceId);
                return TypedResults.Created($"/api/v1/devices/{device.Id}", new RegisteredDevice(View(device), secret));
            case { Outcome: SaveOutcome.ResidentMissing }:
                return JsonBody.Invalid("residentId", $"resident {body.ResidentId} does not exist");
            default:
                return JsonBody.Conflict($"A device '{deviceId}' is already registered.");
        }
    }

    private static async Task<IResult> ChangeAsync<T>(
        long id, HttpContext http, DeviceOutboxService outbox, Func<T, ValueTask<SaveResult<Device>>> change, Func<T, IResult>? residentMissing = null)
        where T : class
    {
        var (body, error) = await JsonBody.ReadAsync<T>(http);
        if (error is not null)
        {
            return error;
        }

        return await change(body!) switch
        {
            { Outcome: SaveOutcome.Saved, Value: { } device } => Changed(outbox, device),
            { Outcome: SaveOutcome.Retired } => JsonBody.Conflict($"Device {id} is retired."),
            { Outcome: SaveOutcome.ResidentMissing } when residentMissing is not null => residentMissing(body!),
            _ => JsonBody.NotFound($"Device {id}"),
        };
    }

    /// <summary>After a committed change: the answer, and the device's retained MQTT config brought up to date (not awaited).</summary>
    private static IResult Changed(DeviceOutboxService outbox, Device device)
    {
        outbox.DeviceChanged(device.DeviceId);
        return TypedResults.Ok(View(device));
    }

    private static DeviceView View(Device d) =>
        new(d.Id, d.DeviceId, d.Type, d.ResidentId, d.ReceiverId, d.Account, d.SensorZone, d.TestModeUntil, d.CheckinIntervalSeconds, d.LastCheckinAt,
            d.Battery, d.AllocationCondition, d.AllocationReason, d.Status, d.CreatedAt, d.RetiredAt);
}

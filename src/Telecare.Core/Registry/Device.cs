namespace Telecare.Core.Registry;

/// <summary>
/// A device as stored: an MQTT device by its client id, or a receiver account "{receiverId}/{account}". Its secret's
/// hash is never part of a read.
/// </summary>
public sealed record Device(
    long Id, string DeviceId, string Type, long? ResidentId, string? ReceiverId, string? Account, string? SensorZone,
    DateTimeOffset? TestModeUntil, int? CheckinIntervalSeconds, DateTimeOffset? LastCheckinAt, int? Battery,
    string? AllocationCondition, string? AllocationReason, string Status, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

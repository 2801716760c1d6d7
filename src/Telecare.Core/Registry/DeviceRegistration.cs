namespace Telecare.Core.Registry;

/// <summary>A device to register; the secret arrives hashed (receiver accounts have none).</summary>
public sealed record DeviceRegistration(
    string DeviceId, string Type, long? ResidentId, string? SecretHash, string? ReceiverId, string? Account, string? SensorZone,
    int? CheckinIntervalSeconds, string? AllocationCondition, string? AllocationReason);

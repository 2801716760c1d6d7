namespace Telecare.Core.Registry;

/// <summary>What an installer may change on a registered device.</summary>
public sealed record DeviceSettings(int? CheckinIntervalSeconds, string? AllocationCondition, string? AllocationReason);

namespace Telecare.Core.Registry;

/// <summary>What an MQTT device's retained config is made from; <see cref="RowId"/> orders the fleet for paging.</summary>
public sealed record DeviceConfig(long RowId, string DeviceId, bool Active, int? CheckinIntervalSeconds, DateTimeOffset? TestModeUntil);

namespace Telecare.Core.Timers;

/// <summary>
/// A device's supervision state. <see cref="OfflineReported"/> is set once the gateway has raised
/// device.offline for the current silence, and cleared by the next check-in.
/// </summary>
public sealed record DeviceCheckIn(
    string DeviceRef,
    DateTimeOffset LastCheckInAt,
    TimeSpan Interval,
    bool OfflineReported = false,
    string? ResidentId = null,
    string? Zone = null);

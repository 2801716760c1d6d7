namespace Telecare.Core.Signals;

/// <summary>A committed, accepted (not rejected, not duplicate) signal handed on to triage.</summary>
public sealed record StoredSignal(
    long Id,
    SignalSource Source,
    string DeviceRef,
    string EventType,
    bool Restore,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DeviceTime,
    int? Battery,
    string? Zone,
    string? DataJson);

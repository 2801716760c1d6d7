using Telecare.Core.Calls;

namespace Telecare.Core.Timers;

/// <summary>The state the timers are computed from; the gateway can rebuild it from its store at any time.</summary>
public sealed record TimerSnapshot(
    IReadOnlyList<Call> OpenCalls,
    IReadOnlyList<DeviceCheckIn> Devices,
    IReadOnlyList<ResidentActivity> Residents)
{
    public static TimerSnapshot Empty { get; } = new([], [], []);
}

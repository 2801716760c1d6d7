using Telecare.Core.Signals;

namespace Telecare.Core.Timers;

/// <summary>
/// Which signals show a resident up and about, for the expected-activity rules. Only events a person makes by moving
/// count: a press, a door opened, getting out of (or back into) a bed or chair, a fall, and a movement sensor seeing
/// movement again (an <c>inactivity</c> restore). Heartbeats, device faults and environmental alarms do not.
/// </summary>
public static class ActivityEvents
{
    /// <summary>Events that count as movement whether or not they are restores.</summary>
    public static readonly IReadOnlyList<string> Movement =
    [
        EventTypes.PendantPress, EventTypes.PendantCancel, EventTypes.FallDetected, EventTypes.Medical,
        EventTypes.DoorExit, EventTypes.BedAbsent, EventTypes.ChairAbsent,
    ];

    public static bool IsMovement(string eventType, bool restore) =>
        eventType == EventTypes.Inactivity ? restore : Movement.Contains(eventType);
}

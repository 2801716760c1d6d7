using Telecare.Core.Signals;
using Telecare.Core.Timers;

namespace Telecare.Core.Tests.Timers;

public sealed class ActivityEventsTests
{
    [Theory]
    [InlineData(EventTypes.PendantPress, false)]
    [InlineData(EventTypes.DoorExit, false)]
    [InlineData(EventTypes.BedAbsent, false)]
    [InlineData(EventTypes.BedAbsent, true)]
    [InlineData(EventTypes.ChairAbsent, true)]
    [InlineData(EventTypes.FallDetected, false)]
    [InlineData(EventTypes.Inactivity, true)]
    public void Events_a_person_makes_by_moving_count_as_movement(string eventType, bool restore) =>
        Assert.True(ActivityEvents.IsMovement(eventType, restore));

    [Fact]
    public void Nothing_else_counts_as_movement()
    {
        foreach (var eventType in EventTypes.All)
        {
            foreach (var restore in new[] { false, true })
            {
                var expected = ActivityEvents.Movement.Contains(eventType) || (eventType == EventTypes.Inactivity && restore);
                Assert.Equal(expected, ActivityEvents.IsMovement(eventType, restore));
            }
        }

        // A movement sensor reporting no movement, a heartbeat and a smoke alarm say nothing about the person moving.
        Assert.False(ActivityEvents.IsMovement(EventTypes.Inactivity, false));
        Assert.False(ActivityEvents.IsMovement(EventTypes.DeviceHeartbeat, false));
        Assert.False(ActivityEvents.IsMovement(EventTypes.SmokeAlarm, false));
    }
}

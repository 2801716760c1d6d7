using Telecare.Core.Store;

namespace Telecare.Core.Timers;

/// <summary>Port: what the timer loop reads from the store every round, so nothing of its state is lost in a restart.</summary>
public interface ITimerStore
{
    /// <summary>
    /// Active devices with a check-in interval that have been heard from at least once, with their resident and zone.
    /// <see cref="DeviceCheckIn.OfflineReported"/> is false: the loop knows which silences it has reported.
    /// </summary>
    ValueTask<IReadOnlyList<DeviceCheckIn>> DeviceCheckInsAsync(CancellationToken cancellationToken = default);

    /// <summary>Residents with expected-activity rules, with what their sensors last showed before <paramref name="now"/> and the occurrences already raised.</summary>
    ValueTask<IReadOnlyList<WatchedResident>> WatchedResidentsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records, in the unit that raised or noted it, that an expected activity's occurrence reached a call: it is raised once.</summary>
    void MarkRaised(IStoreUnit unit, long residentId, string expectation, DateTimeOffset occurrence, long callId);
}

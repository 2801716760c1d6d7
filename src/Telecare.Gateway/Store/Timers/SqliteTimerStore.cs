using Telecare.Core.Store;
using System.Globalization;
using Telecare.Core.Timers;

namespace Telecare.Gateway.Store.Timers;

/// <summary>The timer loop's round from SQLite: check-ins as the signal path stamps them, and expected activity (<see cref="ExpectedActivityRecords"/>).</summary>
internal sealed class SqliteTimerStore(SqliteConnectionFactory store) : ITimerStore
{
    public ValueTask<IReadOnlyList<DeviceCheckIn>> DeviceCheckInsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("""
            SELECT d.device_id, d.last_checkin_at, d.checkin_interval_seconds, d.resident_id, z.name
            FROM devices d LEFT JOIN residents r ON r.id = d.resident_id LEFT JOIN zones z ON z.id = r.zone_id
            WHERE d.status = 'active' AND d.checkin_interval_seconds IS NOT NULL AND d.last_checkin_at IS NOT NULL
            """);
        using var reader = command.ExecuteReader();
        var devices = new List<DeviceCheckIn>();
        while (reader.Read())
        {
            devices.Add(new DeviceCheckIn(reader.GetString(0), reader.GetTime(1), TimeSpan.FromSeconds(reader.GetInt32(2)), OfflineReported: false,
                reader.GetInt64OrNull(3)?.ToString(CultureInfo.InvariantCulture), reader.GetStringOrNull(4)));
        }

        return ValueTask.FromResult<IReadOnlyList<DeviceCheckIn>>(devices);
    }

    public ValueTask<IReadOnlyList<WatchedResident>> WatchedResidentsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        return ValueTask.FromResult<IReadOnlyList<WatchedResident>>(ExpectedActivityRecords.Load(connection, now));
    }

    public void MarkRaised(IStoreUnit unit, long residentId, string expectation, DateTimeOffset occurrence, long callId) =>
        ExpectedActivityRecords.MarkRaised(unit, residentId, expectation, occurrence, callId);
}

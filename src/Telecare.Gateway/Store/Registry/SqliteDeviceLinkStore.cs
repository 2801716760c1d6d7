using Telecare.Core.Registry;
using Telecare.Core.Signals;

namespace Telecare.Gateway.Store.Registry;

/// <summary>The MQTT link's reads from SQLite; an MQTT device is a device without a receiver.</summary>
internal sealed class SqliteDeviceLinkStore(SqliteConnectionFactory store) : IDeviceLinkStore
{
    public ValueTask<string?> FindSecretHashAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command(
            "SELECT secret_hash FROM devices WHERE device_id = $id AND status = 'active' AND secret_hash IS NOT NULL", ("$id", deviceId));
        return ValueTask.FromResult(command.ExecuteScalar() as string);
    }

    public ValueTask<DeviceConfig?> GetConfigAsync(string deviceId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ReadConfigs("receiver_id IS NULL AND device_id = $id LIMIT 1", ("$id", deviceId)).FirstOrDefault());

    public ValueTask<IReadOnlyList<DeviceConfig>> ListActiveConfigsAsync(long afterRowId, int count, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<DeviceConfig>>(ReadConfigs(
            "receiver_id IS NULL AND status = 'active' AND id > $after ORDER BY id LIMIT $count", ("$after", afterRowId), ("$count", count)));

    public ValueTask<DeviceSignalSequence> FindOwnSignalAsync(string deviceId, long signalId, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("""
            SELECT s.sequence FROM signals s JOIN devices d ON d.device_id = s.device_ref
            WHERE s.id = $signal AND s.device_ref = $ref AND s.source <> $internal AND d.receiver_id IS NULL AND d.status = 'active'
            """, ("$ref", deviceId), ("$signal", signalId), ("$internal", (int)SignalSource.Internal));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? new DeviceSignalSequence(true, reader.GetInt64OrNull(0)) : default);
    }

    private List<DeviceConfig> ReadConfigs(string where, params (string Name, object? Value)[] parameters)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command(
            $"SELECT id, device_id, status, checkin_interval_seconds, test_mode_until FROM devices WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        var configs = new List<DeviceConfig>();
        while (reader.Read())
        {
            configs.Add(new DeviceConfig(reader.GetInt64(0), reader.GetString(1), reader.GetString(2) == "active", reader.GetInt32OrNull(3),
                reader.GetTimeOrNull(4)));
        }

        return configs;
    }
}

namespace Telecare.Core.Registry;

/// <summary>
/// Port: what the gateway's link to its MQTT devices reads: a device's secret hash when it connects, its config, and
/// its own counter on the signal that raised a call. Receiver accounts are not MQTT devices and are never found here.
/// </summary>
public interface IDeviceLinkStore
{
    /// <summary>The secret hash of the active device <paramref name="deviceId"/>; null when it is unknown, retired or has no secret.</summary>
    ValueTask<string?> FindSecretHashAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>The MQTT device's config whatever its status (a retired device's config is taken down), or null.</summary>
    ValueTask<DeviceConfig?> GetConfigAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>A page of the active MQTT devices' configs: up to <paramref name="count"/> in row order after <paramref name="afterRowId"/>.</summary>
    ValueTask<IReadOnlyList<DeviceConfig>> ListActiveConfigsAsync(long afterRowId, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether signal <paramref name="signalId"/> was sent by the active MQTT device <paramref name="deviceId"/> itself
    /// (not the gateway's own signal about it, such as a missed check-in), and the device's counter on it.
    /// </summary>
    ValueTask<DeviceSignalSequence> FindOwnSignalAsync(string deviceId, long signalId, CancellationToken cancellationToken = default);
}

namespace Telecare.FirmwareSim.Devices;

/// <summary>
/// Load mode: N connected devices share a target event rate for a duration; each event is a QoS 1
/// PUBLISH timed until its PUBACK. <see cref="DeviceFleet"/> runs several phases on one set of connections.
/// </summary>
public static class DeviceLoadRunner
{
    public static async Task<DeviceLoadReport> RunAsync(DeviceFleetOptions fleet, double ratePerSecond, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        await using var devices = await DeviceFleet.ConnectAsync(fleet, cancellationToken).ConfigureAwait(false);
        return await devices.RunPacedAsync(ratePerSecond, duration, DeviceLoadMessage.Catalog, cancellationToken).ConfigureAwait(false);
    }
}

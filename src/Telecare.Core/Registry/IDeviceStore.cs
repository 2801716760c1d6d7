namespace Telecare.Core.Registry;

/// <summary>
/// Port: devices. Every change is audited in the same commit; a retired device can no longer be changed
/// (<see cref="SaveOutcome.Retired"/>).
/// </summary>
public interface IDeviceStore
{
    /// <summary>Up to 5000 devices by id.</summary>
    ValueTask<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken = default);

    ValueTask<Device?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// A call's devices: the resident's (none when <paramref name="residentId"/> is null) and <paramref name="deviceId"/>
    /// whoever holds it, retired ones too, by type and device id.
    /// </summary>
    ValueTask<IReadOnlyList<Device>> ListForCallAsync(long? residentId, string? deviceId, CancellationToken cancellationToken = default);

    /// <summary><see cref="SaveOutcome.ResidentMissing"/>, or <see cref="SaveOutcome.Duplicate"/> when the device id or receiver account is taken.</summary>
    ValueTask<SaveResult<Device>> RegisterAsync(DeviceRegistration device, string actor, CancellationToken cancellationToken = default);

    ValueTask<SaveResult<Device>> UpdateAsync(long id, DeviceSettings settings, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binds the device to a resident, or unbinds it (null): <see cref="SaveOutcome.ResidentMissing"/>. Not named BindAsync: minimal
    /// APIs take a method of that name for a parameter binder and refuse the endpoint.
    /// </summary>
    ValueTask<SaveResult<Device>> BindToResidentAsync(long id, long? residentId, string actor, CancellationToken cancellationToken = default);

    /// <summary>Test mode until <paramref name="until"/>, or off (null).</summary>
    ValueTask<SaveResult<Device>> SetTestModeAsync(long id, DateTimeOffset? until, string actor, CancellationToken cancellationToken = default);

    ValueTask<SaveResult<Device>> RetireAsync(long id, string actor, CancellationToken cancellationToken = default);
}

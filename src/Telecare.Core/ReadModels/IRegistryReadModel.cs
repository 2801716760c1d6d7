namespace Telecare.Core.ReadModels;

/// <summary>
/// Port: the registry held in memory for the hot path (triage reads it for every signal, the consoles for every view).
/// Loaded whole at start and kept by the store in step with its commits; <see cref="Apply"/> is also how changes
/// made elsewhere (another gateway on the same database) are brought in.
/// </summary>
public interface IRegistryReadModel
{
    /// <summary>A device by its reference (MQTT id, or "receiver/account"), retired ones included (see <see cref="RegisteredDevice.Active"/>).</summary>
    RegisteredDevice? FindDevice(string deviceRef);

    RegisteredResident? FindResident(long residentId);

    RegisteredZone? FindZone(long zoneId);

    RegisteredResponder? FindResponder(long responderId);

    /// <summary>Replaces everything (at start, or after losing track of changes).</summary>
    void Reset(IEnumerable<RegisteredDevice> devices, IEnumerable<RegisteredResident> residents, IEnumerable<RegisteredZone> zones, IEnumerable<RegisteredResponder> responders);

    void Apply(RegistryChange change);
}

using System.Collections.Concurrent;
using Telecare.Core.ReadModels;

namespace Telecare.Gateway.ReadModels;

/// <summary>
/// The registry in memory: lookups are lock-free dictionary reads from any thread; changes come one at a time from
/// the store's writer (after its commit) or from outside, under a lock that keeps the two device indexes in step.
/// </summary>
public sealed class RegistryReadModel : IRegistryReadModel
{
    private readonly Lock _changes = new();
    private readonly ConcurrentDictionary<long, RegisteredDevice> _devices = new();
    private readonly ConcurrentDictionary<string, RegisteredDevice> _devicesByRef = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, RegisteredResident> _residents = new();
    private readonly ConcurrentDictionary<long, RegisteredZone> _zones = new();
    private readonly ConcurrentDictionary<long, RegisteredResponder> _responders = new();

    public RegisteredDevice? FindDevice(string deviceRef) =>
        _devicesByRef.GetValueOrDefault(deviceRef);

    public RegisteredResident? FindResident(long residentId) => _residents.GetValueOrDefault(residentId);

    public RegisteredZone? FindZone(long zoneId) => _zones.GetValueOrDefault(zoneId);

    public RegisteredResponder? FindResponder(long responderId) => _responders.GetValueOrDefault(responderId);

    public void Reset(IEnumerable<RegisteredDevice> devices, IEnumerable<RegisteredResident> residents, IEnumerable<RegisteredZone> zones, IEnumerable<RegisteredResponder> responders)
    {
        lock (_changes)
        {
            _devices.Clear();
            _devicesByRef.Clear();
            _residents.Clear();
            _zones.Clear();
            _responders.Clear();
            foreach (var device in devices)
            {
                SetDevice(device.Id, device);
            }

            foreach (var resident in residents)
            {
                _residents[resident.Id] = resident;
            }

            foreach (var zone in zones)
            {
                _zones[zone.Id] = zone;
            }

            foreach (var responder in responders)
            {
                _responders[responder.Id] = responder;
            }
        }
    }

    public void Apply(RegistryChange change)
    {
        lock (_changes)
        {
            switch (change)
            {
                case RegistryChange.Device d:
                    SetDevice(d.Id, d.Row);
                    break;
                case RegistryChange.Resident r:
                    Set(_residents, r.Id, r.Row);
                    break;
                case RegistryChange.Zone z:
                    Set(_zones, z.Id, z.Row);
                    break;
                case RegistryChange.Responder p:
                    Set(_responders, p.Id, p.Row);
                    break;
            }
        }
    }

    private void SetDevice(long id, RegisteredDevice? row)
    {
        if (_devices.TryRemove(id, out var previous))
        {
            _devicesByRef.TryRemove(previous.DeviceRef, out _);
        }

        if (row is not null)
        {
            _devices[id] = row;
            _devicesByRef[row.DeviceRef] = row;
        }
    }

    private static void Set<T>(ConcurrentDictionary<long, T> rows, long id, T? row)
        where T : class
    {
        if (row is null)
        {
            rows.TryRemove(id, out _);
        }
        else
        {
            rows[id] = row;
        }
    }
}

namespace Telecare.FirmwareSim.Devices;

/// <summary>One thing a device reports: an event type from the gateway's event vocabulary, whether it is a restore, extra data.</summary>
public sealed record DeviceEvent(string Type, bool Restore = false)
{
    public IReadOnlyList<KeyValuePair<string, double>> Data { get; init; } = [];
}

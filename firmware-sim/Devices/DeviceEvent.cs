namespace Telecare.FirmwareSim.Devices;

/// <summary>One thing a device reports: an event type from the DOMAIN.md vocabulary, whether it is a restore, extra data.</summary>
public sealed record DeviceEvent(string Type, bool Restore = false)
{
    public IReadOnlyList<KeyValuePair<string, double>> Data { get; init; } = [];
}

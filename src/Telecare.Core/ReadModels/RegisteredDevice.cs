namespace Telecare.Core.ReadModels;

/// <summary>What triage and the consoles need of a device: its type, whose it is, whether it is in test mode.</summary>
public sealed record RegisteredDevice(long Id, string DeviceRef, string Type, long? ResidentId, bool Active, DateTimeOffset? TestModeUntil)
{
    public bool InTestModeAt(DateTimeOffset now) => TestModeUntil is { } until && until > now;
}

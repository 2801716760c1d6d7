namespace Telecare.Core.Registry;

/// <summary>A resident with the devices bound to them.</summary>
public sealed record ResidentImport(ResidentDraft Resident, IReadOnlyList<DeviceRegistration> Devices);

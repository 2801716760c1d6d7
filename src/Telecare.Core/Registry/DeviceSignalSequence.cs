namespace Telecare.Core.Registry;

/// <summary>Whether the signal is the device's own, and the device's counter on it (a device may send none).</summary>
public readonly record struct DeviceSignalSequence(bool Found, long? Sequence);

namespace Telecare.FirmwareSim.Devices;

/// <summary>What each PUBLISH of a load run carries.</summary>
public enum DeviceLoadMessage
{
    /// <summary>Each device's own alarms and restores (<see cref="DeviceCatalog.NextEvent"/>) on its event topic.</summary>
    Catalog,

    /// <summary>A pendant press on the event topic: the alarm path.</summary>
    Alarm,

    /// <summary>A heartbeat, QoS 1 so that its PUBACK can be timed.</summary>
    Heartbeat,
}

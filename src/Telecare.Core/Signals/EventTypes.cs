namespace Telecare.Core.Signals;

/// <summary>The one event vocabulary every source is normalised into.</summary>
public static class EventTypes
{
    public const string PendantPress = "pendant.press";
    public const string PendantCancel = "pendant.cancel";
    public const string FallDetected = "fall.detected";
    public const string Medical = "medical";
    public const string SmokeAlarm = "smoke.alarm";
    public const string HeatAlarm = "heat.alarm";
    public const string CoAlarm = "co.alarm";
    public const string GasAlarm = "gas.alarm";
    public const string FloodAlarm = "flood.alarm";
    public const string TemperatureLow = "temperature.low";
    public const string TemperatureHigh = "temperature.high";
    public const string DoorExit = "door.exit";
    public const string BedAbsent = "bed.absent";
    public const string ChairAbsent = "chair.absent";
    public const string Inactivity = "inactivity";
    public const string CarerArrived = "carer.arrived";
    public const string CarerLeft = "carer.left";
    public const string DeviceTest = "device.test";
    public const string DeviceHeartbeat = "device.heartbeat";
    public const string DeviceLowBattery = "device.low-battery";
    public const string DeviceTamper = "device.tamper";
    public const string DeviceMainsFail = "device.mains-fail";
    public const string DeviceRestore = "device.restore";
    public const string DeviceOffline = "device.offline";
    public const string ReceiverLinkDown = "receiver.link-down";
    public const string ReceiverLinkUp = "receiver.link-up";

    public static readonly IReadOnlyList<string> All =
    [
        PendantPress, PendantCancel, FallDetected, Medical, SmokeAlarm, HeatAlarm, CoAlarm, GasAlarm,
        FloodAlarm, TemperatureLow, TemperatureHigh, DoorExit, BedAbsent, ChairAbsent, Inactivity,
        CarerArrived, CarerLeft, DeviceTest, DeviceHeartbeat, DeviceLowBattery, DeviceTamper,
        DeviceMainsFail, DeviceRestore, DeviceOffline, ReceiverLinkDown, ReceiverLinkUp,
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string eventType) => Known.Contains(eventType);
}

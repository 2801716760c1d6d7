namespace Telecare.FirmwareSim.Devices;

/// <summary>The telecare devices the simulator can play.</summary>
public enum DeviceKind
{
    Pendant,
    FallDetector,
    Smoke,
    CarbonMonoxide,
    Flood,
    Temperature,
    Door,
    Bed,
    Chair,
    Pir,
}

namespace Telecare.FirmwareSim.Devices;

/// <summary>What each kind of device is called and what it sends, in the gateway's event vocabulary.</summary>
public static class DeviceCatalog
{
    public static IReadOnlyList<DeviceKind> All { get; } = Enum.GetValues<DeviceKind>();

    public static string IdPrefix(DeviceKind kind) => kind switch
    {
        DeviceKind.Pendant => "pendant",
        DeviceKind.FallDetector => "fall",
        DeviceKind.Smoke => "smoke",
        DeviceKind.CarbonMonoxide => "co",
        DeviceKind.Flood => "flood",
        DeviceKind.Temperature => "temp",
        DeviceKind.Door => "door",
        DeviceKind.Bed => "bed",
        DeviceKind.Chair => "chair",
        DeviceKind.Pir => "pir",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string text, out DeviceKind kind)
    {
        foreach (var k in All)
        {
            if (string.Equals(text, IdPrefix(k), StringComparison.OrdinalIgnoreCase) || string.Equals(text, k.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>A plausible alarm (or its restore) for the kind of device.</summary>
    public static DeviceEvent NextEvent(DeviceKind kind, Random random)
    {
        var restore = random.Next(4) == 0;
        return kind switch
        {
            DeviceKind.Pendant => new DeviceEvent(random.Next(10) == 0 ? "pendant.cancel" : "pendant.press"),
            DeviceKind.FallDetector => new DeviceEvent("fall.detected"),
            DeviceKind.Smoke => new DeviceEvent("smoke.alarm", restore),
            DeviceKind.CarbonMonoxide => new DeviceEvent("co.alarm", restore) { Data = [new("ppm", 120 + random.Next(300))] },
            DeviceKind.Flood => new DeviceEvent("flood.alarm", restore),
            DeviceKind.Temperature => random.Next(2) == 0
                ? new DeviceEvent("temperature.low", restore) { Data = [new("celsius", Math.Round(6 + (random.NextDouble() * 4), 1))] }
                : new DeviceEvent("temperature.high", restore) { Data = [new("celsius", Math.Round(30 + (random.NextDouble() * 6), 1))] },
            DeviceKind.Door => new DeviceEvent("door.exit"),
            DeviceKind.Bed => new DeviceEvent("bed.absent", restore),
            DeviceKind.Chair => new DeviceEvent("chair.absent", restore),
            DeviceKind.Pir => new DeviceEvent("inactivity", restore),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}

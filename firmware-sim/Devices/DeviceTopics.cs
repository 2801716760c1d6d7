namespace Telecare.FirmwareSim.Devices;

/// <summary>The topics of the MQTT device contract (README, "Configuration").</summary>
public static class DeviceTopics
{
    public static string Event(string deviceId) => $"telecare/v1/{deviceId}/event";

    public static string Heartbeat(string deviceId) => $"telecare/v1/{deviceId}/heartbeat";

    public static string Status(string deviceId) => $"telecare/v1/{deviceId}/status";

    public static string Ack(string deviceId) => $"telecare/v1/{deviceId}/ack";

    public static string Config(string deviceId) => $"telecare/v1/{deviceId}/config";
}

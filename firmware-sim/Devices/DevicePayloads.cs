using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Telecare.FirmwareSim.Devices;

/// <summary>The JSON bodies of the MQTT device contract (README, "Configuration").</summary>
public static class DevicePayloads
{
    /// <summary><c>{"seq": 17, "ts": "2026-11-22T03:12:09Z", "type": "pendant.press", "restore": false, "battery": 87, "data": {}}</c></summary>
    public static byte[] Event(long seq, DateTimeOffset deviceTime, DeviceEvent e, int battery)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", seq);
            json.WriteString("ts", deviceTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteString("type", e.Type);
            json.WriteBoolean("restore", e.Restore);
            json.WriteNumber("battery", battery);
            json.WriteStartObject("data");
            foreach (var (name, value) in e.Data)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"seq": 18, "battery": 86}</c></summary>
    public static byte[] Heartbeat(long seq, int battery)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", seq);
            json.WriteNumber("battery", battery);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

using Telecare.Protocols.Mqtt;

namespace Telecare.FirmwareSim.Devices;

/// <summary>Where the fleet connects and how its devices are named and authenticated.</summary>
public sealed class DeviceFleetOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;
    public bool UseTls { get; set; }

    /// <summary>Accept any server certificate (test brokers with self-signed certificates only).</summary>
    public bool InsecureTls { get; set; }
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;
    public int Count { get; set; } = 10;
    public IReadOnlyList<DeviceKind> Kinds { get; set; } = DeviceCatalog.All;
    public string IdPrefix { get; set; } = "sim-";

    /// <summary>Device id → secret (from a credentials file); devices not listed use <see cref="Secret"/>.</summary>
    public IReadOnlyDictionary<string, string> Credentials { get; set; } = new Dictionary<string, string>();
    public string? Secret { get; set; }
    public ushort KeepAliveSeconds { get; set; } = 60;
    public MqttQos HeartbeatQos { get; set; } = MqttQos.AtMostOnce;
    public int Seed { get; set; } = Environment.TickCount;

    /// <summary>QoS 1/2 publishes a device keeps unanswered at once; more wait in the device until one is answered.</summary>
    public int MaxInflight { get; set; } = 64;

    /// <summary>The longest pause between reconnect attempts (the back-off doubles from 200 ms up to this).</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Leave "offline" as a will and say "online"/"offline" on the status topic (off: the device stays quiet there).</summary>
    public bool ReportStatus { get; set; } = true;

    /// <summary>Device ids in order: from the credentials file when given, else generated per kind.</summary>
    public IReadOnlyList<(string Id, DeviceKind Kind)> Devices()
    {
        var list = new List<(string, DeviceKind)>(Count);
        var fromFile = Credentials.Keys.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < Count; i++)
        {
            var kind = Kinds[i % Kinds.Count];
            var id = i < fromFile.Count ? fromFile[i] : $"{IdPrefix}{DeviceCatalog.IdPrefix(kind)}-{i:D5}";
            list.Add((id, kind));
        }

        return list;
    }
}

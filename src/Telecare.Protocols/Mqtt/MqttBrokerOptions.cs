using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Telecare.Protocols.Mqtt;

/// <summary>Settings of the embedded broker. Port 0 picks a free port (see <see cref="MqttBroker.LocalEndPoint"/>).</summary>
public sealed class MqttBrokerOptions
{
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Any, 1883);

    /// <summary>When set the listener speaks TLS with this certificate (it must have a private key).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Anonymous access and no access control, for protocol conformance runs only. Off by default.</summary>
    public bool ConformanceMode { get; set; }

    public int MaxConnections { get; set; } = 25_000;

    /// <summary>Largest packet accepted from a client (also advertised as Maximum Packet Size on MQTT 5).</summary>
    public int MaxPacketSize { get; set; } = 256 * 1024;

    /// <summary>QoS 1/2 messages a client may have unacknowledged towards us (advertised Receive Maximum).</summary>
    public ushort ReceiveMaximum { get; set; } = 64;

    /// <summary>QoS 1/2 messages we send a client before waiting for its acknowledgements.</summary>
    public ushort MaxOutgoingInflight { get; set; } = 32;

    /// <summary>Messages kept per session for a slow or offline subscriber; beyond this new ones are dropped and counted.</summary>
    public int MaxQueuedMessagesPerSession { get; set; } = 1000;

    public ushort TopicAliasMaximum { get; set; } = 32;

    /// <summary>Upper bound on a session's lifetime after disconnect; also used for 3.1.1 persistent sessions.</summary>
    public uint MaxSessionExpirySeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>A connection that has not sent CONNECT within this time is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxUserProperties { get; set; } = 32;

    /// <summary>Diagnostics sink (never receives secrets).</summary>
    public Action<string>? Log { get; set; }

    internal MqttCodecLimits CodecLimits() => MqttCodecLimits.Default with
    {
        MaxRemainingLength = MaxPacketSize,
        MaxStringLength = Math.Min(ushort.MaxValue, MaxPacketSize),
        MaxUserProperties = MaxUserProperties,
    };
}

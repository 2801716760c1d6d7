using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Telecare.Protocols.Mqtt;

/// <summary>Settings of the embedded broker. Port 0 picks a free port (see <see cref="MqttBroker.LocalEndPoint"/>).</summary>
public sealed class MqttBrokerOptions
{
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Any, 1883);

    /// <summary>
    /// The TLS certificate (it must have a private key). With <see cref="TlsEndpoint"/> it serves that second listener and
    /// <see cref="Endpoint"/> stays plain; without it <see cref="Endpoint"/> itself speaks TLS.
    /// </summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Intermediate CA certificates sent with <see cref="Certificate"/> so clients can build the chain to their root.</summary>
    public X509Certificate2Collection? CertificateChain { get; set; }

    /// <summary>A second listener speaking TLS with <see cref="Certificate"/> beside the plain <see cref="Endpoint"/> (1883 and 8883).</summary>
    public IPEndPoint? TlsEndpoint { get; set; }

    /// <summary>Anonymous access and no access control, for protocol conformance runs only. Off by default.</summary>
    public bool ConformanceMode { get; set; }

    public int MaxConnections { get; set; } = 25_000;

    /// <summary>
    /// Sockets that have not yet finished CONNECT (or the TLS handshake before it). Beyond this a new socket is closed
    /// at once, so a flood of idle connections costs a bounded number of descriptors, each for at most
    /// <see cref="ConnectTimeout"/>, and devices already connected are not touched.
    /// </summary>
    public int MaxPendingConnections { get; set; } = 1000;

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

    /// <summary>
    /// Longest keep-alive the broker allows (0: no cap). A client asking for none (0) or a longer one is held to this:
    /// MQTT 5 clients are told so with Server Keep Alive; 3.1.1 has no way to tell them, and they are held to it all
    /// the same, so a client that sends half a packet and stalls is always cut in the end.
    /// </summary>
    public TimeSpan MaxKeepAlive { get; set; } = TimeSpan.Zero;

    public int MaxUserProperties { get; set; } = 32;

    /// <summary>How long a closing connection waits for the handler to finish messages it already has.</summary>
    public TimeSpan HandlerDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Diagnostics sink (never receives secrets).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>
    /// Connections refused or cut for breaking a limit (busy, too many pending, no CONNECT in time, malformed or
    /// oversize packets, keep-alive expired): what an operator watching for hostile clients wants. Falls back to <see cref="Log"/>.
    /// </summary>
    public Action<string>? LogWarning { get; set; }

    /// <summary>Throws naming the setting that is out of range.</summary>
    public void Validate()
    {
        Check(Endpoint is not null, nameof(Endpoint), "is required");
        Check(MaxConnections > 0, nameof(MaxConnections), "must be positive");
        Check(MaxPendingConnections > 0, nameof(MaxPendingConnections), "must be positive");
        Check(MaxKeepAlive >= TimeSpan.Zero && MaxKeepAlive <= TimeSpan.FromSeconds(ushort.MaxValue), nameof(MaxKeepAlive), "must be between 0 and 65,535 seconds");
        Check(MaxPacketSize is >= 64 and <= (int)MqttPacketCodec.MaxVariableByteInteger, nameof(MaxPacketSize), "must be between 64 and 268,435,455");
        Check(ReceiveMaximum > 0, nameof(ReceiveMaximum), "must be positive");
        Check(MaxOutgoingInflight is > 0 and <= 60_000, nameof(MaxOutgoingInflight), "must be between 1 and 60,000");
        Check(MaxQueuedMessagesPerSession >= 0, nameof(MaxQueuedMessagesPerSession), "must not be negative");
        Check(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Check(HandlerDrainTimeout >= TimeSpan.Zero, nameof(HandlerDrainTimeout), "must not be negative");
        Check(MaxUserProperties >= 0, nameof(MaxUserProperties), "must not be negative");
        Check(Certificate is null || Certificate.HasPrivateKey, nameof(Certificate), "must include its private key");
        Check(TlsEndpoint is null || Certificate is not null, nameof(TlsEndpoint), "needs a Certificate");
        Check(TlsEndpoint is null || TlsEndpoint.Port == 0 || TlsEndpoint.Port != Endpoint?.Port, nameof(TlsEndpoint), "must use another port than Endpoint");
    }

    private static void Check(bool ok, string name, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException($"MQTT broker option {name} {problem}", name);
        }
    }

    internal MqttCodecLimits CodecLimits() => MqttCodecLimits.Default with
    {
        MaxRemainingLength = MaxPacketSize,
        MaxStringLength = Math.Min(ushort.MaxValue, MaxPacketSize),
        MaxUserProperties = MaxUserProperties,
    };
}

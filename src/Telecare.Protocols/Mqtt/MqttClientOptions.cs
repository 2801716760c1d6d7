using System.IO.Pipelines;
using System.Net.Security;

namespace Telecare.Protocols.Mqtt;

/// <summary>Settings of <see cref="MqttClient"/>.</summary>
public sealed class MqttClientOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;

    /// <summary>Speak TLS; <see cref="TlsOptions"/> can set the target host, validation callback and client certificates.</summary>
    public bool UseTls { get; set; }
    public SslClientAuthenticationOptions? TlsOptions { get; set; }

    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>Empty lets the server assign one (MQTT 5) — it is then reused on reconnect.</summary>
    public string ClientId { get; set; } = "";
    public string? Username { get; set; }

    /// <summary>Sent in CONNECT only; never logged.</summary>
    public string? Password { get; set; }
    public ushort KeepAliveSeconds { get; set; } = 30;

    /// <summary>False keeps a persistent session (with <see cref="SessionExpirySeconds"/> on MQTT 5).</summary>
    public bool CleanStart { get; set; } = true;
    public uint SessionExpirySeconds { get; set; }
    public MqttWill? Will { get; set; }

    /// <summary>Incoming QoS 1/2 messages the server may have unacknowledged with us.</summary>
    public ushort ReceiveMaximum { get; set; } = 64;

    /// <summary>QoS 1/2 publishes sent before waiting for acknowledgements (the server's Receive Maximum also applies).</summary>
    public int MaxInflight { get; set; } = 64;

    /// <summary>Unacknowledged publishes kept for resending; PublishAsync waits when this many are pending.</summary>
    public int MaxPendingPublishes { get; set; } = 10_000;

    public bool AutoReconnect { get; set; } = true;
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public MqttCodecLimits Limits { get; set; } = MqttCodecLimits.Default;

    /// <summary>
    /// Called for every incoming message, in arrival order; calls may overlap (a bounded number, about <see cref="ReceiveMaximum"/>
    /// unfinished), so a durable sink can commit them in groups. The PUBACK/PUBREC is sent only after the returned
    /// task completes, in arrival order, with its reason code on MQTT 5. Throwing leaves the message
    /// unacknowledged: the connection is closed and the server delivers it again.
    /// </summary>
    public Func<MqttApplicationMessage, CancellationToken, ValueTask<MqttPublishOutcome>>? MessageHandler { get; set; }

    /// <summary>Replaces TCP/TLS with another transport (for example in-memory pipes in tests).</summary>
    public Func<CancellationToken, ValueTask<IDuplexPipe>>? TransportFactory { get; set; }

    /// <summary>Diagnostics sink (never receives secrets).</summary>
    public Action<string>? Log { get; set; }
}

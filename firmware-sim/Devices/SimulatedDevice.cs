using System.Net.Security;
using System.Text;
using Telecare.Protocols.Mqtt;

namespace Telecare.FirmwareSim.Devices;

/// <summary>
/// One device's firmware: connects as its id with its secret, leaves "offline" as a retained will,
/// says "online" on every connect, sends events (QoS 1) and heartbeats, and listens for ack/config.
/// </summary>
public sealed class SimulatedDevice : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly TimeProvider _time;
    private long _sequence;
    private readonly bool _reportStatus;
    private int _acks;

    public SimulatedDevice(string id, DeviceKind kind, string? secret, DeviceFleetOptions fleet, TimeProvider? time = null)
    {
        Id = id;
        Kind = kind;
        _time = time ?? TimeProvider.System;
        _client = new MqttClient(new MqttClientOptions
        {
            Host = fleet.Host,
            Port = fleet.Port,
            UseTls = fleet.UseTls,
            TlsOptions = fleet.InsecureTls ? new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true } : null,
            ProtocolVersion = fleet.ProtocolVersion,
            ClientId = id,
            Username = id,
            Password = secret,
            KeepAliveSeconds = fleet.KeepAliveSeconds,
            CleanStart = false,
            SessionExpirySeconds = 24 * 3600,
            ReconnectMaxDelay = fleet.ReconnectMaxDelay,
            MaxInflight = fleet.MaxInflight,
            Will = fleet.ReportStatus ? new MqttWill(DeviceTopics.Status(id), "offline"u8.ToArray(), MqttQos.AtLeastOnce, Retain: true) : null,
            MessageHandler = OnMessageAsync,
        }, _time);
        _reportStatus = fleet.ReportStatus;
        if (_reportStatus)
        {
            _client.Connected += OnConnected;
        }
    }

    public string Id { get; }
    public DeviceKind Kind { get; }
    public int Battery { get; set; } = 100;
    public MqttClient Client => _client;

    /// <summary>The last sequence number sent; real firmware keeps it across restarts, so a new run should not start again at 0.</summary>
    public long LastSequence
    {
        get => Interlocked.Read(ref _sequence);
        set => Interlocked.Exchange(ref _sequence, value);
    }

    /// <summary>Messages received on the device's ack topic (the gateway confirming an alarm).</summary>
    public int AcksReceived => Volatile.Read(ref _acks);

    public Action<SimulatedDevice, string, string>? OnGatewayMessage { get; set; }

    public Task StartAsync(CancellationToken cancellationToken = default) => StartCoreAsync(cancellationToken);

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await _client.SubscribeAsync(
            [new MqttSubscription(DeviceTopics.Ack(Id), MqttQos.AtLeastOnce), new MqttSubscription(DeviceTopics.Config(Id), MqttQos.AtLeastOnce)],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends an event and completes on its PUBACK (the gateway has committed it).</summary>
    public Task<MqttPublishResult> SendEventAsync(DeviceEvent e, CancellationToken cancellationToken = default) =>
        PublishEvent(e, cancellationToken).Acknowledged;

    /// <summary>
    /// Sends an event and says which sequence number it carries, so a caller can keep a ledger of what was acknowledged.
    /// Unacknowledged events survive a lost connection: the client sends them again (DUP) once it is back.
    /// </summary>
    public DeviceEventPublish PublishEvent(DeviceEvent e, CancellationToken cancellationToken = default)
    {
        var seq = Interlocked.Increment(ref _sequence);
        var payload = DevicePayloads.Event(seq, _time.GetUtcNow(), e, Battery);
        return new DeviceEventPublish(seq, _client.PublishAsync(new MqttApplicationMessage(DeviceTopics.Event(Id), payload, MqttQos.AtLeastOnce), cancellationToken));
    }

    public Task<MqttPublishResult> SendHeartbeatAsync(MqttQos qos, CancellationToken cancellationToken = default)
    {
        var seq = Interlocked.Increment(ref _sequence);
        return _client.PublishAsync(new MqttApplicationMessage(DeviceTopics.Heartbeat(Id), DevicePayloads.Heartbeat(seq, Battery), qos), cancellationToken);
    }

    /// <summary>Every (re)connect says "online" again, replacing a will the broker may have published.</summary>
    private void OnConnected(MqttConnAckPacket ack)
    {
        _ = _client.PublishAsync(DeviceTopics.Status(Id), "online", MqttQos.AtLeastOnce, retain: true);
    }

    private ValueTask<MqttPublishOutcome> OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (message.Topic == DeviceTopics.Ack(Id))
        {
            Interlocked.Increment(ref _acks);
        }

        OnGatewayMessage?.Invoke(this, message.Topic, Encoding.UTF8.GetString(message.Payload.Span));
        return ValueTask.FromResult(MqttPublishOutcome.Success);
    }

    /// <summary>Says "offline" itself (a clean DISCONNECT does not fire the will) and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_reportStatus && _client.IsConnected)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.PublishAsync(DeviceTopics.Status(Id), "offline", MqttQos.AtLeastOnce, retain: true, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
        }

        await _client.DisposeAsync().ConfigureAwait(false);
    }
}

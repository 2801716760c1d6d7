using System.Globalization;
using System.Text;
using Telecare.Core.Signals;
using Telecare.Gateway.Admin;
using Telecare.Gateway.Security;
using Telecare.Gateway.Signals;
using Telecare.Gateway.Store;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// The gateway's side of the embedded broker (DESIGN.md "MQTT device contract"): devices sign in with their id and
/// secret, may only use topics under <c>telecare/v1/{their id}/</c>, and a PUBLISH is acknowledged only after the
/// signal sink's durable receipt. A malformed payload is stored as rejected and answered 0x99 (MQTT 5).
/// </summary>
public sealed partial class MqttDeviceHandler(
    ISignalSink sink,
    SqliteConnectionFactory store,
    TimeProvider time,
    ILogger<MqttDeviceHandler> logger) : IMqttBrokerHandler
{
    public const string TopicRoot = "telecare/v1/";

    /// <summary>Set once the broker exists, so the handler can send the device its `ack`.</summary>
    public MqttBroker? Broker { get; set; }

    public ValueTask<MqttConnectResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken)
    {
        var deviceId = request.Username;
        if (string.IsNullOrEmpty(deviceId) || request.Password is not { } password || !Verify(deviceId, password.Span))
        {
            LogRefused(logger, deviceId ?? "(none)", request.RemoteEndPoint?.ToString());
            return ValueTask.FromResult(MqttConnectResult.Refuse(MqttReasonCode.BadUserNameOrPassword));
        }

        return ValueTask.FromResult(MqttConnectResult.Accept(deviceId));
    }

    public bool CanPublish(MqttBrokerClient client, string topic) => topic.StartsWith(Prefix(client), StringComparison.Ordinal);

    public bool CanSubscribe(MqttBrokerClient client, string topicFilter) => topicFilter.StartsWith(Prefix(client), StringComparison.Ordinal);

    public async ValueTask<MqttPublishOutcome> OnPublishAsync(MqttBrokerClient client, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var deviceId = (string)client.State!;
        var kind = message.Topic.Length > Prefix(client).Length ? message.Topic[Prefix(client).Length..] : "";
        var signal = kind switch
        {
            "event" => Parse(message, deviceId, defaultType: null),
            "heartbeat" => Parse(message, deviceId, EventTypes.DeviceHeartbeat),
            "status" => Status(message, deviceId),
            // Our own messages to the device (ack, config) and anything else a device may keep for itself.
            "ack" or "config" => null,
            _ => Rejected(message, deviceId, $"topic '{kind}' is not part of the device contract"),
        };
        if (signal is null)
        {
            return MqttPublishOutcome.Success;
        }

        // Throws when the store cannot commit: the broker then closes without an ack and the device sends again.
        var receipt = await sink.SubmitAsync(signal, cancellationToken);
        if (signal.IsRejected)
        {
            LogRejected(logger, deviceId, signal.RejectionReason!);
            return MqttPublishOutcome.PayloadFormatInvalid(signal.RejectionReason!);
        }

        if (kind == "event" && !receipt.Duplicate)
        {
            _ = AcknowledgeToDeviceAsync(deviceId, signal.Sequence, "received");
        }

        return MqttPublishOutcome.Success;
    }

    public void OnClientConnected(MqttBrokerClient client) => LogConnected(logger, client.ClientId, client.ProtocolVersion);

    /// <summary>Tells the device what happened to its alarm ("received", "answered", "responder-on-the-way").</summary>
    public async Task AcknowledgeToDeviceAsync(string deviceId, long? sequence, string status)
    {
        if (Broker is null)
        {
            return;
        }

        try
        {
            var payload = Encoding.UTF8.GetBytes($$"""{"seq":{{(sequence is { } s ? s.ToString(CultureInfo.InvariantCulture) : "null")}},"status":"{{status}}","at":"{{time.GetUtcNow():O}}"}""");
            await Broker.PublishAsync($"{TopicRoot}{deviceId}/ack", payload, MqttQos.AtLeastOnce);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The alarm is stored and on its way to a handler; only the courtesy message failed.
            LogAckFailed(logger, ex, deviceId);
        }
    }

    private static string Prefix(MqttBrokerClient client) => $"{TopicRoot}{client.State}/";

    private static IncomingSignal Parse(MqttApplicationMessage message, string deviceId, string? defaultType)
    {
        var parsed = HttpSignalParser.Parse(message.Payload, SignalSource.Mqtt, deviceId, defaultType);
        return parsed.Signal ?? Rejected(message, deviceId, $"{parsed.Field}: {parsed.Error}");
    }

    /// <summary>`online` when the device connects, `offline` as its last will (or a clean goodbye).</summary>
    private IncomingSignal Status(MqttApplicationMessage message, string deviceId)
    {
        var text = Encoding.UTF8.GetString(message.Payload.Span).Trim();
        var type = text switch
        {
            "offline" => EventTypes.DeviceOffline,
            "online" => EventTypes.DeviceRestore,
            _ => null,
        };
        if (type is null)
        {
            return Rejected(message, deviceId, "status must be 'online' or 'offline'");
        }

        return new IncomingSignal
        {
            Source = SignalSource.Mqtt,
            DeviceRef = deviceId,
            // Each status change is its own occurrence: the gateway's clock tells two 'offline's apart.
            Sequence = -time.GetUtcNow().ToUnixTimeMilliseconds(),
            EventType = type,
            RawFrame = message.Payload,
            DataJson = """{"topic":"status"}""",
        };
    }

    private static IncomingSignal Rejected(MqttApplicationMessage message, string deviceId, string reason) => new()
    {
        Source = SignalSource.Mqtt,
        DeviceRef = deviceId,
        RawFrame = message.Payload,
        RejectionReason = reason,
    };

    private bool Verify(string deviceId, ReadOnlySpan<byte> password)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection,
            "SELECT secret_hash FROM devices WHERE device_id = $id AND status = 'active' AND secret_hash IS NOT NULL", ("$id", deviceId));
        return command.ExecuteScalar() is string hash && Secrets.Verify(password, hash);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "MQTT sign-in refused for '{DeviceId}' from {Address}")]
    private static partial void LogRefused(ILogger logger, string deviceId, string? address);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "MQTT message from {DeviceId} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string deviceId, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "MQTT device {DeviceId} connected ({Version})")]
    private static partial void LogConnected(ILogger logger, string deviceId, MqttProtocolVersion version);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Could not send the ack to device {DeviceId}")]
    private static partial void LogAckFailed(ILogger logger, Exception exception, string deviceId);
}

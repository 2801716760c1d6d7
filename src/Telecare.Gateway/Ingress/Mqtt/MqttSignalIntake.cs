using System.Text;
using Telecare.Core.Signals;
using Telecare.Gateway.Signals;
using Telecare.Gateway.Store;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// A device's MQTT message → signal → durable sink, the same in both modes. The returned outcome is what the
/// PUBACK/PUBREC carries, so it is produced only after the sink's receipt; a malformed payload is stored as
/// rejected and answered 0x99 (payload format invalid).
/// </summary>
public sealed partial class MqttSignalIntake(
    ISignalSink sink,
    IDeviceNotifier notifier,
    TimeProvider time,
    ILogger<MqttSignalIntake> logger)
{
    /// <summary>Throws <see cref="MqttServerBusyException"/> when the store cannot commit: the message is then left unacknowledged.</summary>
    public async ValueTask<MqttPublishOutcome> AcceptAsync(string deviceId, string kind, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var signal = kind switch
        {
            "event" => Parse(message, deviceId, defaultType: null),
            "heartbeat" => Parse(message, deviceId, EventTypes.DeviceHeartbeat),
            "status" => Status(message, deviceId),
            // Our own messages to the device (ack, config) and anything else a device may keep for itself.
            _ when MqttDeviceTopics.IsGatewayKind(kind) => null,
            _ => Rejected(message, deviceId, $"topic '{kind}' is not part of the device contract"),
        };
        if (signal is null)
        {
            return MqttPublishOutcome.Success;
        }

        SignalReceipt receipt;
        try
        {
            receipt = await sink.SubmitAsync(signal, cancellationToken);
        }
        catch (StoreUnavailableException ex)
        {
            // Not stored, so not acknowledged: the device keeps the message and sends it again; v5 devices are told why.
            throw new MqttServerBusyException("the gateway cannot store messages right now; send again later", ex);
        }

        if (signal.IsRejected)
        {
            LogRejected(logger, deviceId, signal.RejectionReason!);
            return MqttPublishOutcome.PayloadFormatInvalid(signal.RejectionReason!);
        }

        if (kind == "event" && !receipt.Duplicate)
        {
            _ = AcknowledgeReceivedAsync(deviceId, signal.Sequence);
        }

        return MqttPublishOutcome.Success;
    }

    /// <summary>Tells the device its alarm is stored; what happens to the call later follows from <see cref="DeviceOutboxService"/>.</summary>
    private async Task AcknowledgeReceivedAsync(string deviceId, long? sequence)
    {
        try
        {
            await notifier.PublishAckAsync(deviceId, DeviceMessages.Ack(sequence, DeviceMessages.Received, callId: null, time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The alarm is stored and on its way to a handler; only the courtesy message failed.
            LogAckFailed(logger, ex, deviceId);
        }
    }

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

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "MQTT message from {DeviceId} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string deviceId, string reason);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Could not send the ack to device {DeviceId}")]
    private static partial void LogAckFailed(ILogger logger, Exception exception, string deviceId);
}

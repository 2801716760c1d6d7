using Telecare.Core.Registry;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Security;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// The gateway's side of the embedded broker: devices sign in with their id and secret (checked against its hash,
/// never logged), may only use topics under <c>telecare/v1/{their id}/</c> (reading, not writing, the gateway's ack
/// and config), and a PUBLISH is acknowledged only after the signal sink's durable receipt (<see cref="MqttSignalIntake"/>).
/// </summary>
public sealed partial class MqttDeviceHandler(
    MqttSignalIntake intake,
    IDeviceLinkStore devices,
    ILogger<MqttDeviceHandler> logger) : IMqttBrokerHandler
{
    public async ValueTask<MqttConnectResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken)
    {
        var deviceId = request.Username;
        var hash = string.IsNullOrEmpty(deviceId) || request.Password is null ? null : await devices.FindSecretHashAsync(deviceId, cancellationToken);
        if (hash is null || !Secrets.Verify(request.Password!.Value.Span, hash))
        {
            LogRefused(logger, LogText.Safe(deviceId), request.RemoteEndPoint?.ToString());
            return MqttConnectResult.Refuse(MqttReasonCode.BadUserNameOrPassword);
        }

        return MqttConnectResult.Accept(new DeviceSession(deviceId!, MqttDeviceTopics.Prefix(deviceId!)));
    }

    /// <summary>Under its own prefix, except the gateway's ack and config: a device must not overwrite its retained config.</summary>
    public bool CanPublish(MqttBrokerClient client, string topic)
    {
        var prefix = Session(client).Prefix;
        return topic.StartsWith(prefix, StringComparison.Ordinal) && !MqttDeviceTopics.IsGatewayKind(Kind(topic, prefix));
    }

    public bool CanSubscribe(MqttBrokerClient client, string topicFilter) => topicFilter.StartsWith(Session(client).Prefix, StringComparison.Ordinal);

    /// <summary>Throws when the store cannot commit: the broker then closes without an ack and the device sends again.</summary>
    public ValueTask<MqttPublishOutcome> OnPublishAsync(MqttBrokerClient client, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var session = Session(client);
        return intake.AcceptAsync(session.DeviceId, Kind(message.Topic, session.Prefix), message, cancellationToken);
    }

    public void OnClientConnected(MqttBrokerClient client) => LogConnected(logger, client.ClientId, client.ProtocolVersion);

    private static DeviceSession Session(MqttBrokerClient client) => (DeviceSession)client.State!;

    /// <summary>What follows the device's prefix; the contract's own kinds without a new string per message.</summary>
    private static string Kind(string topic, string prefix)
    {
        var kind = topic.AsSpan(Math.Min(prefix.Length, topic.Length));
        return kind switch
        {
            "event" => "event",
            "heartbeat" => "heartbeat",
            "status" => "status",
            "ack" => "ack",
            "config" => "config",
            _ => kind.ToString(),
        };
    }

    /// <summary>A signed-in device, with its topic prefix worked out once per connection rather than per message.</summary>
    private sealed record DeviceSession(string DeviceId, string Prefix);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "MQTT sign-in refused for '{DeviceId}' from {Address}")]
    private static partial void LogRefused(ILogger logger, string deviceId, string? address);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "MQTT device {DeviceId} connected ({Version})")]
    private static partial void LogConnected(ILogger logger, string deviceId, MqttProtocolVersion version);
}

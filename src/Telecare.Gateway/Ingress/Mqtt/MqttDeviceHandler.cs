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

        return MqttConnectResult.Accept(deviceId);
    }

    /// <summary>Under its own prefix, except the gateway's ack and config: a device must not overwrite its retained config.</summary>
    public bool CanPublish(MqttBrokerClient client, string topic)
    {
        var prefix = Prefix(client);
        return topic.StartsWith(prefix, StringComparison.Ordinal) && !MqttDeviceTopics.IsGatewayKind(topic[prefix.Length..]);
    }

    public bool CanSubscribe(MqttBrokerClient client, string topicFilter) => topicFilter.StartsWith(Prefix(client), StringComparison.Ordinal);

    /// <summary>Throws when the store cannot commit: the broker then closes without an ack and the device sends again.</summary>
    public ValueTask<MqttPublishOutcome> OnPublishAsync(MqttBrokerClient client, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var deviceId = (string)client.State!;
        var prefix = Prefix(client);
        var kind = message.Topic.Length > prefix.Length ? message.Topic[prefix.Length..] : "";
        return intake.AcceptAsync(deviceId, kind, message, cancellationToken);
    }

    public void OnClientConnected(MqttBrokerClient client) => LogConnected(logger, client.ClientId, client.ProtocolVersion);

    private static string Prefix(MqttBrokerClient client) => MqttDeviceTopics.Prefix((string)client.State!);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "MQTT sign-in refused for '{DeviceId}' from {Address}")]
    private static partial void LogRefused(ILogger logger, string deviceId, string? address);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "MQTT device {DeviceId} connected ({Version})")]
    private static partial void LogConnected(ILogger logger, string deviceId, MqttProtocolVersion version);
}

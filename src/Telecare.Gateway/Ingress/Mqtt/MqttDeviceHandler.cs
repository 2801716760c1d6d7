using Telecare.Gateway.Admin;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// The gateway's side of the embedded broker (DESIGN.md "MQTT device contract"): devices sign in with their id and
/// secret, may only use topics under <c>telecare/v1/{their id}/</c> (reading, not writing, the gateway's ack and config), and a PUBLISH is acknowledged only after the
/// signal sink's durable receipt (<see cref="MqttSignalIntake"/>).
/// </summary>
public sealed partial class MqttDeviceHandler(
    MqttSignalIntake intake,
    SqliteConnectionFactory store,
    ILogger<MqttDeviceHandler> logger) : IMqttBrokerHandler
{
    public ValueTask<MqttConnectResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken)
    {
        var deviceId = request.Username;
        if (string.IsNullOrEmpty(deviceId) || request.Password is not { } password || !Verify(deviceId, password.Span))
        {
            LogRefused(logger, LogText.Safe(deviceId), request.RemoteEndPoint?.ToString());
            return ValueTask.FromResult(MqttConnectResult.Refuse(MqttReasonCode.BadUserNameOrPassword));
        }

        return ValueTask.FromResult(MqttConnectResult.Accept(deviceId));
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

    private bool Verify(string deviceId, ReadOnlySpan<byte> password)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection,
            "SELECT secret_hash FROM devices WHERE device_id = $id AND status = 'active' AND secret_hash IS NOT NULL", ("$id", deviceId));
        return command.ExecuteScalar() is string hash && Secrets.Verify(password, hash);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "MQTT sign-in refused for '{DeviceId}' from {Address}")]
    private static partial void LogRefused(ILogger logger, string deviceId, string? address);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "MQTT device {DeviceId} connected ({Version})")]
    private static partial void LogConnected(ILogger logger, string deviceId, MqttProtocolVersion version);
}

using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>External mode: the gateway's client publishes to the devices' broker (whose ACL must allow it), which keeps the retained config.</summary>
public sealed class MqttExternalNotifier : IDeviceNotifier
{
    /// <summary>Set by <see cref="MqttExternalIngressService"/> once its client exists.</summary>
    public MqttClient? Client { get; set; }

    public Task PublishAckAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        PublishAsync(new MqttApplicationMessage(MqttDeviceTopics.Ack(deviceId), payload, MqttQos.AtLeastOnce), cancellationToken);

    public Task PublishConfigAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        PublishAsync(new MqttApplicationMessage(MqttDeviceTopics.Config(deviceId), payload, MqttQos.AtLeastOnce, Retain: true), cancellationToken);

    private async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (Client is { } client)
        {
            var result = await client.PublishAsync(message, cancellationToken);
            if (!result.IsSuccess)
            {
                // Most likely the broker's ACL does not let the gateway write to the device's topic.
                throw new InvalidOperationException($"the broker refused {message.Topic}: {result.ReasonCode} {result.ReasonString}");
            }
        }
    }
}

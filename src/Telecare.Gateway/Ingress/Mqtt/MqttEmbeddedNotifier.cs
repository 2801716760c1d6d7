using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>Embedded mode: the gateway's own broker delivers to the device's subscriptions and keeps the retained config.</summary>
public sealed class MqttEmbeddedNotifier : IDeviceNotifier
{
    /// <summary>Set by <see cref="MqttIngressService"/> once the broker runs.</summary>
    public MqttBroker? Broker { get; set; }

    public async Task PublishAckAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (Broker is { } broker)
        {
            await broker.PublishAsync(MqttDeviceTopics.Ack(deviceId), payload, MqttQos.AtLeastOnce, cancellationToken: cancellationToken);
        }
    }

    public async Task PublishConfigAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (Broker is { } broker)
        {
            await broker.PublishAsync(MqttDeviceTopics.Config(deviceId), payload, MqttQos.AtLeastOnce, retain: true, cancellationToken);
        }
    }
}

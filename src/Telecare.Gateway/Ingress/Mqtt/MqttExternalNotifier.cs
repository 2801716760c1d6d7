using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>External mode: the gateway's client publishes the ack to the devices' broker (which must allow it).</summary>
public sealed class MqttExternalNotifier : IDeviceNotifier
{
    /// <summary>Set by <see cref="MqttExternalIngressService"/> once its client exists.</summary>
    public MqttClient? Client { get; set; }

    public async Task PublishAckAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (Client is { } client)
        {
            var result = await client.PublishAsync(new MqttApplicationMessage(MqttDeviceTopics.Ack(deviceId), payload, MqttQos.AtLeastOnce), cancellationToken);
            if (!result.IsSuccess)
            {
                // Most likely the broker's ACL does not let the gateway write to the device's ack topic.
                throw new InvalidOperationException($"the broker refused the ack: {result.ReasonCode} {result.ReasonString}");
            }
        }
    }
}

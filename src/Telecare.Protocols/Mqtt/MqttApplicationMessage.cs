namespace Telecare.Protocols.Mqtt;

/// <summary>
/// A message as publishers and subscribers see it (topic, payload, QoS, retain and the MQTT 5
/// application properties), independent of packet ids and connections.
/// </summary>
public sealed record MqttApplicationMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos = MqttQos.AtMostOnce, bool Retain = false)
{
    /// <summary>Payload format, message expiry, content type, response topic, correlation data, user properties.</summary>
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;

    /// <summary>Keeps only the properties that travel with a message from publisher to subscriber.</summary>
    internal static MqttProperties ApplicationProperties(MqttProperties p)
    {
        if (ReferenceEquals(p, MqttProperties.Empty) || (p.TopicAlias is null && p.SubscriptionIdentifiers.Count == 0))
        {
            return p;
        }

        return p with { TopicAlias = null, SubscriptionIdentifiers = [] };
    }
}

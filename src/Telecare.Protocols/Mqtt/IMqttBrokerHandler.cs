namespace Telecare.Protocols.Mqtt;

/// <summary>
/// The broker's link to the application: authentication, access control and the place where every
/// message a client publishes is handed over. The broker awaits <see cref="OnPublishAsync"/> before it
/// sends PUBACK (QoS 1) or PUBREC (QoS 2), so the application can commit the message durably first.
/// </summary>
public interface IMqttBrokerHandler
{
    /// <summary>Accept or refuse a CONNECT. Refusals are answered with the reason code (mapped to a 3.1.1 return code).</summary>
    ValueTask<MqttConnectResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken);

    /// <summary>Whether the client may publish to <paramref name="topic"/> (also checked for its will).</summary>
    bool CanPublish(MqttBrokerClient client, string topic);

    /// <summary>Whether the client may subscribe to <paramref name="topicFilter"/> (the full filter, $share prefix included).</summary>
    bool CanSubscribe(MqttBrokerClient client, string topicFilter);

    /// <summary>
    /// A client published a message (QoS 0, 1 or 2, or its will). The acknowledgement waits for this to
    /// complete and carries its reason code on MQTT 5. Throwing means "not taken": the broker closes the
    /// connection without acknowledging, and the client sends the message again when it reconnects.
    /// Messages are only routed to subscribers when the outcome accepts them.
    /// </summary>
    ValueTask<MqttPublishOutcome> OnPublishAsync(MqttBrokerClient client, MqttApplicationMessage message, CancellationToken cancellationToken);

    /// <summary>A client finished CONNECT and is online.</summary>
    void OnClientConnected(MqttBrokerClient client)
    {
    }

    /// <summary>A client's network connection ended (cleanly with DISCONNECT or not).</summary>
    void OnClientDisconnected(MqttBrokerClient client, bool clean)
    {
    }
}

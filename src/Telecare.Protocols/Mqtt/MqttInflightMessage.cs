namespace Telecare.Protocols.Mqtt;

/// <summary>A QoS 1/2 message sent to the client and not yet fully acknowledged.</summary>
internal sealed class MqttInflightMessage(MqttPublishPacket packet, long order)
{
    public MqttPublishPacket Packet { get; } = packet;
    public long Order { get; } = order;

    /// <summary>QoS 2 after PUBREC: PUBREL sent, waiting for PUBCOMP.</summary>
    public bool Released { get; set; }
}

namespace Telecare.Protocols.Mqtt;

/// <summary>How the server answered a publish (QoS 0: written to the connection).</summary>
public readonly record struct MqttPublishResult(MqttReasonCode ReasonCode, string? ReasonString = null)
{
    public bool IsSuccess => (byte)ReasonCode < 0x80;
}

namespace Telecare.Protocols.Mqtt;

/// <summary>
/// What the receiver of a PUBLISH decided, sent back in PUBACK/PUBREC on MQTT 5 (MQTT 3.1.1 has no
/// negative acknowledgement, so there the packet is acknowledged plainly). Codes below 0x80 accept
/// the message; 0x80 and above refuse it (for example 0x99 payload format invalid).
/// </summary>
public readonly record struct MqttPublishOutcome(MqttReasonCode ReasonCode, string? ReasonString = null)
{
    public static MqttPublishOutcome Success => new(MqttReasonCode.Success);

    public static MqttPublishOutcome NoMatchingSubscribers => new(MqttReasonCode.NoMatchingSubscribers);

    public bool IsAccepted => (byte)ReasonCode < 0x80;

    public static MqttPublishOutcome PayloadFormatInvalid(string reason) => new(MqttReasonCode.PayloadFormatInvalid, reason);
}

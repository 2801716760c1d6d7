namespace Telecare.Protocols.Mqtt;

/// <summary>The server refused CONNECT (on MQTT 3.1.1 the reason code holds the return code).</summary>
public sealed class MqttConnectionRefusedException(MqttReasonCode reasonCode)
    : Exception($"MQTT connection refused: {reasonCode} (0x{(byte)reasonCode:X2})")
{
    public MqttReasonCode ReasonCode { get; } = reasonCode;
}

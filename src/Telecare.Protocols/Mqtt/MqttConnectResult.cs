namespace Telecare.Protocols.Mqtt;

/// <summary>
/// The answer to a CONNECT. <see cref="State"/> is kept on the <see cref="MqttBrokerClient"/> for the
/// handler's own use (for example the device record the credentials belong to).
/// </summary>
public readonly record struct MqttConnectResult(MqttReasonCode ReasonCode, object? State = null)
{
    public static MqttConnectResult Accept(object? state = null) => new(MqttReasonCode.Success, state);

    public static MqttConnectResult Refuse(MqttReasonCode reasonCode) => new(reasonCode);

    public bool IsAccepted => ReasonCode == MqttReasonCode.Success;
}

namespace Telecare.Protocols.Mqtt;

/// <summary>Raised inside the codec only; <see cref="MqttPacketCodec.TryRead"/> turns it into a value.</summary>
internal sealed class MqttMalformedException(string reason, MqttReasonCode code) : Exception(reason)
{
    public MqttReasonCode Code { get; } = code;
}

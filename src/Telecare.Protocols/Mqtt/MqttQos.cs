namespace Telecare.Protocols.Mqtt;

/// <summary>Quality of service of a PUBLISH or a subscription.</summary>
public enum MqttQos : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}

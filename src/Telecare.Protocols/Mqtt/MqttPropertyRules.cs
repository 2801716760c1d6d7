namespace Telecare.Protocols.Mqtt;

internal static class MqttPropertyRules
{
    public static MqttPropertyContext AllowedIn(byte id) => id switch
    {
        0x01 or 0x02 or 0x03 or 0x08 or 0x09 => MqttPropertyContext.Publish | MqttPropertyContext.Will,
        0x0B => MqttPropertyContext.Publish | MqttPropertyContext.Subscribe,
        0x11 => MqttPropertyContext.Connect | MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect,
        0x12 or 0x13 or 0x1A or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A => MqttPropertyContext.ConnAck,
        0x15 or 0x16 => MqttPropertyContext.Connect | MqttPropertyContext.ConnAck | MqttPropertyContext.Auth,
        0x17 or 0x19 => MqttPropertyContext.Connect,
        0x18 => MqttPropertyContext.Will,
        0x1C => MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect,
        0x1F => MqttPropertyContext.ConnAck | MqttPropertyContext.PublishResponse | MqttPropertyContext.SubAck
            | MqttPropertyContext.UnsubAck | MqttPropertyContext.Disconnect | MqttPropertyContext.Auth,
        0x21 or 0x22 or 0x27 => MqttPropertyContext.Connect | MqttPropertyContext.ConnAck,
        0x23 => MqttPropertyContext.Publish,
        0x26 => MqttPropertyContext.All,
        _ => MqttPropertyContext.None,
    };
}

namespace Telecare.Protocols.Mqtt;

/// <summary>An MQTT control packet. Packets are immutable; the codec turns them into bytes and back.</summary>
public abstract record MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>The will message a client leaves with the server at CONNECT.</summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos, bool Retain)
{
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

public sealed record MqttConnectPacket(MqttProtocolVersion ProtocolVersion, string ClientId, bool CleanStart, ushort KeepAliveSeconds) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;
    public string? Username { get; init; }
    public ReadOnlyMemory<byte>? Password { get; init; }
    public MqttWill? Will { get; init; }
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

/// <summary>CONNACK. On MQTT 3.1.1 the reason code carries the return code (0..5).</summary>
public sealed record MqttConnAckPacket(bool SessionPresent, MqttReasonCode ReasonCode) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

public sealed record MqttPublishPacket(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos, bool Retain) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;
    public bool Dup { get; init; }

    /// <summary>Zero for QoS 0; non-zero otherwise.</summary>
    public ushort PacketId { get; init; }
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

/// <summary>PUBACK, PUBREC, PUBREL and PUBCOMP share one shape.</summary>
public abstract record MqttPublishResponsePacket(ushort PacketId, MqttReasonCode ReasonCode) : MqttPacket
{
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

public sealed record MqttPubAckPacket(ushort PacketId, MqttReasonCode ReasonCode = MqttReasonCode.Success) : MqttPublishResponsePacket(PacketId, ReasonCode)
{
    public override MqttPacketType Type => MqttPacketType.PubAck;
}

public sealed record MqttPubRecPacket(ushort PacketId, MqttReasonCode ReasonCode = MqttReasonCode.Success) : MqttPublishResponsePacket(PacketId, ReasonCode)
{
    public override MqttPacketType Type => MqttPacketType.PubRec;
}

public sealed record MqttPubRelPacket(ushort PacketId, MqttReasonCode ReasonCode = MqttReasonCode.Success) : MqttPublishResponsePacket(PacketId, ReasonCode)
{
    public override MqttPacketType Type => MqttPacketType.PubRel;
}

public sealed record MqttPubCompPacket(ushort PacketId, MqttReasonCode ReasonCode = MqttReasonCode.Success) : MqttPublishResponsePacket(PacketId, ReasonCode)
{
    public override MqttPacketType Type => MqttPacketType.PubComp;
}

/// <summary>How a subscription treats retained messages when it is made (MQTT 5).</summary>
public enum MqttRetainHandling : byte
{
    SendAtSubscribe = 0,
    SendAtSubscribeIfNew = 1,
    DoNotSend = 2,
}

/// <summary>One topic filter of a SUBSCRIBE with its options.</summary>
public sealed record MqttSubscription(string TopicFilter, MqttQos Qos)
{
    public bool NoLocal { get; init; }
    public bool RetainAsPublished { get; init; }
    public MqttRetainHandling RetainHandling { get; init; }
}

public sealed record MqttSubscribePacket(ushort PacketId, IReadOnlyList<MqttSubscription> Subscriptions) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

/// <summary>SUBACK; on MQTT 3.1.1 the codes are 0, 1, 2 or 0x80.</summary>
public sealed record MqttSubAckPacket(ushort PacketId, IReadOnlyList<MqttReasonCode> ReasonCodes) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

public sealed record MqttUnsubscribePacket(ushort PacketId, IReadOnlyList<string> TopicFilters) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

/// <summary>UNSUBACK; MQTT 3.1.1 has no reason codes (the list is empty there).</summary>
public sealed record MqttUnsubAckPacket(ushort PacketId, IReadOnlyList<MqttReasonCode> ReasonCodes) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

public sealed record MqttPingReqPacket : MqttPacket
{
    public static MqttPingReqPacket Instance { get; } = new();
    public override MqttPacketType Type => MqttPacketType.PingReq;
}

public sealed record MqttPingRespPacket : MqttPacket
{
    public static MqttPingRespPacket Instance { get; } = new();
    public override MqttPacketType Type => MqttPacketType.PingResp;
}

public sealed record MqttDisconnectPacket(MqttReasonCode ReasonCode = MqttReasonCode.NormalDisconnection) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

/// <summary>AUTH (MQTT 5 only).</summary>
public sealed record MqttAuthPacket(MqttReasonCode ReasonCode = MqttReasonCode.Success) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Auth;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

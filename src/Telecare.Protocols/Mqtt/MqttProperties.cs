namespace Telecare.Protocols.Mqtt;

/// <summary>One MQTT 5 user property (a name/value pair; names may repeat).</summary>
public readonly record struct MqttUserProperty(string Name, string Value);

/// <summary>
/// MQTT 5 properties (OASIS 2019, 2.2.2.2). Every field is optional; which ones a packet may carry
/// is checked by the codec. MQTT 3.1.1 packets always carry <see cref="Empty"/>.
/// </summary>
public sealed record MqttProperties
{
    public static MqttProperties Empty { get; } = new();

    public byte? PayloadFormatIndicator { get; init; }
    public uint? MessageExpiryInterval { get; init; }
    public string? ContentType { get; init; }
    public string? ResponseTopic { get; init; }
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }
    public IReadOnlyList<uint> SubscriptionIdentifiers { get; init; } = [];
    public uint? SessionExpiryInterval { get; init; }
    public string? AssignedClientIdentifier { get; init; }
    public ushort? ServerKeepAlive { get; init; }
    public string? AuthenticationMethod { get; init; }
    public ReadOnlyMemory<byte>? AuthenticationData { get; init; }
    public byte? RequestProblemInformation { get; init; }
    public uint? WillDelayInterval { get; init; }
    public byte? RequestResponseInformation { get; init; }
    public string? ResponseInformation { get; init; }
    public string? ServerReference { get; init; }
    public string? ReasonString { get; init; }
    public ushort? ReceiveMaximum { get; init; }
    public ushort? TopicAliasMaximum { get; init; }
    public ushort? TopicAlias { get; init; }
    public byte? MaximumQos { get; init; }
    public byte? RetainAvailable { get; init; }
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
    public uint? MaximumPacketSize { get; init; }
    public byte? WildcardSubscriptionAvailable { get; init; }
    public byte? SubscriptionIdentifierAvailable { get; init; }
    public byte? SharedSubscriptionAvailable { get; init; }
}

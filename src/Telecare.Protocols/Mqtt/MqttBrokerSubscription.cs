namespace Telecare.Protocols.Mqtt;

/// <summary>A subscription as the broker keeps it.</summary>
internal sealed record MqttBrokerSubscription(
    string Filter,
    string MatchFilter,
    string? ShareGroup,
    MqttQos Qos,
    bool NoLocal,
    bool RetainAsPublished,
    MqttRetainHandling RetainHandling,
    uint? SubscriptionId);

namespace Telecare.Protocols.Mqtt;

/// <summary>A message waiting in a session for delivery.</summary>
internal sealed record MqttQueuedMessage(MqttApplicationMessage Message, MqttQos Qos, bool Retain, DateTimeOffset? ExpiresAt, IReadOnlyList<uint> SubscriptionIds);

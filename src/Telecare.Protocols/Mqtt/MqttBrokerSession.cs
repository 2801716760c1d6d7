namespace Telecare.Protocols.Mqtt;

/// <summary>
/// Session state (OASIS 4.1): subscriptions, queued and in-flight messages, QoS 2 ids received.
/// Guarded by the broker's lock; it outlives connections when the session expiry allows.
/// </summary>
internal sealed class MqttBrokerSession(string clientId)
{
    public string ClientId { get; } = clientId;
    public MqttBrokerConnection? Connection { get; set; }
    public Dictionary<string, MqttBrokerSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);
    public Queue<MqttQueuedMessage> Pending { get; } = new();
    public Dictionary<ushort, MqttInflightMessage> Inflight { get; } = [];
    public HashSet<ushort> IncomingQos2 { get; } = [];
    public uint ExpirySeconds { get; set; }
    public ITimer? ExpiryTimer { get; set; }
    public ITimer? WillTimer { get; set; }
    public (MqttBrokerClient Client, MqttApplicationMessage Will)? DelayedWill { get; set; }
    public long Dropped { get; set; }
    public bool Removed { get; set; }
    private ushort _nextId;
    private long _order;

    public long NextOrder() => ++_order;

    public ushort AllocatePacketId()
    {
        do
        {
            _nextId = _nextId == ushort.MaxValue ? (ushort)1 : (ushort)(_nextId + 1);
        }
        while (Inflight.ContainsKey(_nextId));

        return _nextId;
    }
}

namespace Telecare.Protocols.Mqtt;

/// <summary>The members of one <c>$share/{group}/{filter}</c>; each message goes to one of them, in turn.</summary>
internal sealed class MqttSharedGroup(string group, string filter)
{
    public string Group { get; } = group;
    public string Filter { get; } = filter;
    public List<(MqttBrokerSession Session, MqttBrokerSubscription Subscription)> Members { get; } = [];
    private int _next;

    /// <summary>Next member in turn, preferring one that is connected now.</summary>
    public (MqttBrokerSession Session, MqttBrokerSubscription Subscription) Pick()
    {
        var count = Members.Count;
        for (var i = 0; i < count; i++)
        {
            var index = (_next + i) % count;
            if (Members[index].Session.Connection is not null)
            {
                _next = (index + 1) % count;
                return Members[index];
            }
        }

        var fallback = Members[_next % count];
        _next = (_next + 1) % count;
        return fallback;
    }
}

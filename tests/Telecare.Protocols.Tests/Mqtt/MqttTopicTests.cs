using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

public sealed class MqttTopicTests
{
    [Theory]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "a/b/c", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("telecare/v1/+/event", "telecare/v1/p-17/event", true)]
    [InlineData("telecare/v1/+/event", "telecare/v1/p-17/heartbeat", false)]
    [InlineData("#", "$SYS/broker/clients", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/B", false)]
    [InlineData("a/b", "a/b/c", false)]
    public void Matching_follows_the_specification_examples(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, MqttTopic.Matches(filter, topic));
    }

    [Theory]
    [InlineData("#", true)]
    [InlineData("a/#", true)]
    [InlineData("a#", false)]
    [InlineData("a/#/b", false)]
    [InlineData("+", true)]
    [InlineData("+/a/+", true)]
    [InlineData("a+", false)]
    [InlineData("a/+b", false)]
    [InlineData("", false)]
    [InlineData("$share/g/a/+", true)]
    [InlineData("$share/g", false)]
    [InlineData("$share//a", false)]
    [InlineData("$share/g+/a", false)]
    [InlineData("$share/g/", false)]
    public void Filter_validity(string filter, bool valid)
    {
        Assert.Equal(valid, MqttTopic.IsValidTopicFilter(filter));
    }

    [Fact]
    public void Shared_filter_splits_into_group_and_filter()
    {
        Assert.True(MqttTopic.TrySplitShared("$share/telecare-gateway/telecare/v1/+/event", out var group, out var filter));
        Assert.Equal("telecare-gateway", group);
        Assert.Equal("telecare/v1/+/event", filter);
    }
}

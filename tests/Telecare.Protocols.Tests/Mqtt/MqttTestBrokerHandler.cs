using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>
/// A handler shaped like the gateway's: devices authenticate with username = id and a secret, may
/// publish only under telecare/v1/{id}/, and every publish is recorded before it is acknowledged.
/// </summary>
internal sealed class MqttTestBrokerHandler : IMqttBrokerHandler
{
    public ConcurrentDictionary<string, string> Secrets { get; } = new();
    public Channel<(MqttBrokerClient Client, MqttApplicationMessage Message)> Published { get; } = Channel.CreateUnbounded<(MqttBrokerClient, MqttApplicationMessage)>();

    /// <summary>When set, OnPublishAsync waits for it (to prove the ack waits for the handler).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public Func<MqttApplicationMessage, MqttPublishOutcome>? Decide { get; set; }

    public int PublishCalls;

    public ValueTask<MqttConnectResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken)
    {
        if (request.Username is { } user && Secrets.TryGetValue(user, out var secret)
            && request.Password is { } password && Encoding.UTF8.GetString(password.Span) == secret)
        {
            return ValueTask.FromResult(MqttConnectResult.Accept(user));
        }

        return ValueTask.FromResult(MqttConnectResult.Refuse(MqttReasonCode.BadUserNameOrPassword));
    }

    public bool CanPublish(MqttBrokerClient client, string topic) =>
        client.Username == "gateway" || topic.StartsWith($"telecare/v1/{client.Username}/", StringComparison.Ordinal);

    public bool CanSubscribe(MqttBrokerClient client, string topicFilter) =>
        client.Username == "gateway" || topicFilter.StartsWith($"telecare/v1/{client.Username}/", StringComparison.Ordinal);

    public async ValueTask<MqttPublishOutcome> OnPublishAsync(MqttBrokerClient client, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref PublishCalls);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        var outcome = Decide?.Invoke(message) ?? MqttPublishOutcome.Success;
        Published.Writer.TryWrite((client, message));
        return outcome;
    }

    public async Task<MqttApplicationMessage> NextPublishedAsync()
    {
        using var cts = new CancellationTokenSource(MqttTestPeer.Timeout);
        var (_, message) = await Published.Reader.ReadAsync(cts.Token);
        return message;
    }
}

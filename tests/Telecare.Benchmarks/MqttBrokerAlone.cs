using System.Globalization;
using System.Net;
using Telecare.Protocols.Mqtt;

namespace Telecare.Benchmarks;

/// <summary>
/// Child process of <see cref="MqttCompare"/>: our broker with nothing behind it — any credentials, the gateway's topic
/// rule (a client only under telecare/v1/{its username}/), every PUBLISH acknowledged as soon as it is read.
/// Usage: mqtt-broker-alone port. Runs until its standard input closes.
/// </summary>
internal static class MqttBrokerAlone
{
    public static async Task RunAsync(string[] args)
    {
        var port = int.Parse(args[0], CultureInfo.InvariantCulture);
        await using var broker = new MqttBroker(new MqttBrokerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, port),
            // The gateway's defaults, so only the store behind it differs.
            MaxConnections = 25_000,
            MaxPacketSize = 64 * 1024,
        }, new AcceptEverything());
        await broker.StartAsync();
        Console.WriteLine("listening");
        await Console.In.ReadToEndAsync();
    }

    private sealed class AcceptEverything : IMqttBrokerHandler
    {
        public ValueTask<MqttConnectResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(MqttConnectResult.Accept($"telecare/v1/{request.Username ?? request.ClientId}/"));

        public bool CanPublish(MqttBrokerClient client, string topic) => topic.StartsWith((string)client.State!, StringComparison.Ordinal);

        public bool CanSubscribe(MqttBrokerClient client, string topicFilter) => topicFilter.StartsWith((string)client.State!, StringComparison.Ordinal);

        public ValueTask<MqttPublishOutcome> OnPublishAsync(MqttBrokerClient client, MqttApplicationMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(MqttPublishOutcome.Success);
    }
}

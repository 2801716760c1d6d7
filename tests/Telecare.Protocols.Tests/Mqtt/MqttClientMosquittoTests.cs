using Telecare.Testing;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>Our client against a real mosquitto started by the test.</summary>
public sealed class MqttClientMosquittoTests : IAsyncLifetime
{
    private MqttMosquittoBroker _mosquitto = null!;
    private readonly List<MqttClient> _clients = [];

    public async Task InitializeAsync() => _mosquitto = await MqttMosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var c in _clients)
        {
            await c.DisposeAsync();
        }

        await _mosquitto.DisposeAsync();
    }

    private MqttClient NewClient(string id, MqttProtocolVersion version, Channel<MqttApplicationMessage>? inbox = null, Action<MqttClientOptions>? configure = null)
    {
        var options = new MqttClientOptions
        {
            Port = _mosquitto.Port,
            ClientId = id,
            ProtocolVersion = version,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        if (inbox is not null)
        {
            options.MessageHandler = (m, _) =>
            {
                inbox.Writer.TryWrite(m);
                return ValueTask.FromResult(MqttPublishOutcome.Success);
            };
        }

        configure?.Invoke(options);
        var client = new MqttClient(options);
        _clients.Add(client);
        return client;
    }

    private static async Task<List<string>> TakeAsync(Channel<MqttApplicationMessage> inbox, int count)
    {
        var got = new List<string>();
        using var cts = new CancellationTokenSource(MqttTestPeer.Timeout);
        while (got.Count < count)
        {
            var m = await inbox.Reader.ReadAsync(cts.Token);
            got.Add(Encoding.UTF8.GetString(m.Payload.Span));
        }

        return got;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Qos1_and_qos2_publishes_arrive_once_in_order(MqttProtocolVersion version)
    {
        var inbox = Channel.CreateUnbounded<MqttApplicationMessage>();
        var subscriber = NewClient("sub", version, inbox);
        await subscriber.ConnectAsync();
        Assert.Equal([MqttReasonCode.GrantedQos2], await subscriber.SubscribeAsync("telecare/v1/+/event", MqttQos.ExactlyOnce));

        var publisher = NewClient("pub", version);
        await publisher.ConnectAsync();
        var sends = new List<Task<MqttPublishResult>>();
        for (var i = 0; i < 20; i++)
        {
            sends.Add(publisher.PublishAsync($"telecare/v1/dev{i}/event", $"m{i}", i % 2 == 0 ? MqttQos.AtLeastOnce : MqttQos.ExactlyOnce));
        }

        foreach (var result in await Task.WhenAll(sends))
        {
            Assert.True(result.IsSuccess, result.ToString());
        }

        // Order holds per QoS level (OASIS 4.6); the two flows may interleave.
        var got = await TakeAsync(inbox, 20);
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 2 == 0).Select(i => $"m{i}"), got.Where(m => int.Parse(m[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0));
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 2 == 1).Select(i => $"m{i}"), got.Where(m => int.Parse(m[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1));
        await publisher.PublishAsync("telecare/v1/end/event", "end", MqttQos.AtLeastOnce);
        Assert.Equal(["end"], await TakeAsync(inbox, 1));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Persistent_session_survives_a_broker_restart_with_messages_sent_while_away(MqttProtocolVersion version)
    {
        void Persistent(MqttClientOptions o)
        {
            o.CleanStart = false;
            o.SessionExpirySeconds = 3600;
        }

        var inbox = Channel.CreateUnbounded<MqttApplicationMessage>();
        var gateway = NewClient("gateway-persistent", version, inbox, Persistent);
        await gateway.ConnectAsync();
        await gateway.SubscribeAsync("telecare/v1/+/event", MqttQos.AtLeastOnce);
        await gateway.DisconnectAsync();

        var device = NewClient("device-1", version);
        await device.ConnectAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await device.PublishAsync("telecare/v1/device-1/event", $"away-{i}", MqttQos.AtLeastOnce)).IsSuccess);
        }

        // The device keeps publishing across the outage: the message waits in the client and is resent.
        Task<MqttPublishResult>? duringOutage = null;
        await _mosquitto.RestartAsync(async () =>
        {
            await MqttTestProcess.WaitUntilAsync(() => !device.IsConnected, "the device to notice the broker is down");
            duringOutage = device.PublishAsync("telecare/v1/device-1/event", "during-outage", MqttQos.AtLeastOnce);
        });
        Assert.True((await duringOutage!.WaitAsync(MqttTestPeer.Timeout)).IsSuccess);

        var back = NewClient("gateway-persistent", version, inbox, Persistent);
        var ack = await back.ConnectAsync();
        Assert.True(ack.SessionPresent);
        Assert.Equal(["away-0", "away-1", "away-2", "away-3", "away-4", "during-outage"], await TakeAsync(inbox, 6));
    }

    [Fact]
    public async Task Client_reconnects_by_itself_and_resubscribes_when_the_session_is_gone()
    {
        var inbox = Channel.CreateUnbounded<MqttApplicationMessage>();
        var connects = 0;
        var gateway = NewClient("gateway-clean", MqttProtocolVersion.V500, inbox);
        gateway.Connected += _ => Interlocked.Increment(ref connects);
        await gateway.ConnectAsync();
        await gateway.SubscribeAsync("telecare/v1/+/ack", MqttQos.AtLeastOnce);

        await _mosquitto.RestartAsync();
        await MqttTestProcess.WaitUntilAsync(() => Volatile.Read(ref connects) >= 2 && gateway.IsConnected, "the client to reconnect");

        var device = NewClient("device-2", MqttProtocolVersion.V500);
        await device.ConnectAsync();

        // The SUBSCRIBE after reconnect and this publish race; publish until one arrives.
        using var cts = new CancellationTokenSource(MqttTestPeer.Timeout);
        while (!inbox.Reader.TryPeek(out _))
        {
            await device.PublishAsync("telecare/v1/device-2/ack", "after-restart", MqttQos.AtLeastOnce, cancellationToken: cts.Token);
            await Task.WhenAny(inbox.Reader.WaitToReadAsync(cts.Token).AsTask(), Task.Delay(100, cts.Token));
        }

        Assert.Equal("after-restart", (await TakeAsync(inbox, 1))[0]);
    }

    [Fact]
    public async Task Shared_subscription_splits_messages_between_two_clients_exactly_once()
    {
        var seen = new ConcurrentDictionary<string, int>();
        var counts = new int[2];
        var all = Channel.CreateUnbounded<MqttApplicationMessage>();
        for (var n = 0; n < 2; n++)
        {
            var index = n;
            var member = NewClient($"gateway-{n}", MqttProtocolVersion.V500, configure: o => o.MessageHandler = (m, _) =>
            {
                Interlocked.Increment(ref counts[index]);
                seen.AddOrUpdate(Encoding.UTF8.GetString(m.Payload.Span), 1, (_, c) => c + 1);
                all.Writer.TryWrite(m);
                return ValueTask.FromResult(MqttPublishOutcome.Success);
            });
            await member.ConnectAsync();
            await member.SubscribeAsync("$share/telecare-gateway/telecare/v1/+/event", MqttQos.AtLeastOnce);
        }

        var device = NewClient("device-3", MqttProtocolVersion.V500);
        await device.ConnectAsync();
        for (var i = 0; i < 40; i++)
        {
            await device.PublishAsync($"telecare/v1/device-3/event", $"e{i}", MqttQos.AtLeastOnce);
        }

        await TakeAsync(all, 40);
        Assert.Equal(40, seen.Count);
        Assert.All(seen.Values, c => Assert.Equal(1, c));
        Assert.All(counts, c => Assert.True(c > 0, $"counts {counts[0]}/{counts[1]}"));
    }

    [Fact]
    public async Task A_message_whose_processing_failed_is_not_acknowledged_and_comes_back()
    {
        var attempts = new ConcurrentQueue<(string Payload, bool Dup)>();
        var committed = Channel.CreateUnbounded<MqttApplicationMessage>();
        var failFirst = 1;
        var gateway = NewClient("gateway-commit", MqttProtocolVersion.V500, configure: o =>
        {
            o.CleanStart = false;
            o.SessionExpirySeconds = 600;
            o.MessageHandler = (m, _) =>
            {
                attempts.Enqueue((Encoding.UTF8.GetString(m.Payload.Span), false));
                if (Interlocked.Exchange(ref failFirst, 0) == 1)
                {
                    throw new IOException("store not reachable");
                }

                committed.Writer.TryWrite(m);
                return ValueTask.FromResult(MqttPublishOutcome.Success);
            };
        });
        await gateway.ConnectAsync();
        await gateway.SubscribeAsync("telecare/v1/+/event", MqttQos.AtLeastOnce);

        var device = NewClient("device-4", MqttProtocolVersion.V500);
        await device.ConnectAsync();
        await device.PublishAsync("telecare/v1/device-4/event", "fall", MqttQos.AtLeastOnce);

        Assert.Equal(["fall"], await TakeAsync(committed, 1));
        Assert.Equal(2, attempts.Count);
    }
}

using Telecare.Testing;
using System.Text;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>Protocol rules of the embedded broker, driven over in-memory pipes on a manual clock.</summary>
public sealed class MqttBrokerProtocolTests : IAsyncLifetime
{
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    private readonly MqttManualTimeProvider _time = new();
    private readonly MqttTestBrokerHandler _handler = new();
    private readonly List<string> _log = [];
    private MqttBroker _broker = null!;

    public Task InitializeAsync()
    {
        _handler.Secrets["dev1"] = "s1";
        _handler.Secrets["dev2"] = "s2";
        _handler.Secrets["gateway"] = "g";
        _broker = NewBroker(new MqttBrokerOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private MqttBroker NewBroker(MqttBrokerOptions options)
    {
        options.Log = line =>
        {
            lock (_log)
            {
                _log.Add(line);
            }
        };
        return new MqttBroker(options, _handler, _time);
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static MqttConnectPacket Connect(MqttProtocolVersion v, string id, string user, string password, bool clean = true, ushort keepAlive = 0) =>
        new(v, id, clean, keepAlive) { Username = user, Password = B(password) };

    private Task<MqttTestPeer> ConnectAsync(MqttConnectPacket connect, MqttReasonCode expected = MqttReasonCode.Success) =>
        MqttTestPeer.ConnectAsync(_broker, connect, expected);

    private static async Task SubscribeAsync(MqttTestPeer peer, string filter, MqttQos qos, ushort id = 1)
    {
        await peer.SendAsync(new MqttSubscribePacket(id, [new MqttSubscription(filter, qos)]));
        var ack = await peer.ReceiveAsync<MqttSubAckPacket>();
        Assert.Equal((MqttReasonCode)(byte)qos, Assert.Single(ack.ReasonCodes));
    }

    [Theory]
    [InlineData(V3)]
    [InlineData(V5)]
    public async Task Connect_with_the_device_secret_is_accepted_and_a_wrong_one_refused(MqttProtocolVersion version)
    {
        await using var ok = await ConnectAsync(Connect(version, "dev1", "dev1", "s1"));
        Assert.False(ok.LastConnAck!.SessionPresent);
        if (version == V5)
        {
            Assert.Equal((ushort)64, ok.LastConnAck.Properties.ReceiveMaximum);
            Assert.Equal((byte)1, ok.LastConnAck.Properties.SharedSubscriptionAvailable);
        }

        var refusal = version == V5 ? MqttReasonCode.BadUserNameOrPassword : (MqttReasonCode)4;
        await using var bad = await ConnectAsync(Connect(version, "dev1b", "dev1", "wrong"), refusal);
        await bad.WaitClosedAsync();
        await using var unknown = await ConnectAsync(new MqttConnectPacket(version, "x", true, 0), refusal);
        await unknown.WaitClosedAsync();
    }

    [Fact]
    public async Task Unsupported_protocol_level_gets_return_code_1_and_is_closed()
    {
        var (peer, _) = MqttTestPeer.Attach(_broker, V3);
        await using var _p = peer;
        await peer.SendRawAsync(MqttTestBuffers.Hex("10 0E 00 04 4D 51 54 54 06 02 00 00 00 02 63 31"));
        var ack = await peer.ReceiveAsync<MqttConnAckPacket>();
        Assert.Equal((MqttReasonCode)1, ack.ReasonCode);
        await peer.WaitClosedAsync();
    }

    [Fact]
    public async Task Puback_is_sent_only_after_the_handler_has_taken_the_message()
    {
        _handler.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", B("{\"seq\":1}"), MqttQos.AtLeastOnce, false) { PacketId = 7 });

        // The broker answers a later PINGREQ while the PUBLISH is still with the handler: no PUBACK yet.
        var beforePong = await dev.RoundTripAsync();
        Assert.Empty(beforePong);
        Assert.Equal(1, Volatile.Read(ref _handler.PublishCalls));

        _handler.Gate.SetResult();
        var ack = await dev.ReceiveAsync<MqttPubAckPacket>();
        Assert.Equal((ushort)7, ack.PacketId);
        Assert.Equal(MqttReasonCode.Success, ack.ReasonCode);
        Assert.Equal("telecare/v1/dev1/event", (await _handler.NextPublishedAsync()).Topic);
    }

    [Fact]
    public async Task Acknowledgements_keep_the_order_of_the_publishes()
    {
        await using var dev = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1"));
        for (ushort id = 1; id <= 20; id++)
        {
            await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", B($"{id}"), MqttQos.AtLeastOnce, false) { PacketId = id });
        }

        for (ushort id = 1; id <= 20; id++)
        {
            Assert.Equal(id, (await dev.ReceiveAsync<MqttPubAckPacket>()).PacketId);
        }
    }

    [Fact]
    public async Task Refusal_reason_from_the_handler_reaches_a_v5_device_and_the_message_is_not_routed()
    {
        _handler.Decide = m => m.Payload.Span.SequenceEqual(B("not json")) ? MqttPublishOutcome.PayloadFormatInvalid("payload is not JSON") : MqttPublishOutcome.Success;
        await using var gateway = await ConnectAsync(Connect(V5, "gw", "gateway", "g"));
        await SubscribeAsync(gateway, "telecare/v1/+/event", MqttQos.AtLeastOnce);
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", B("not json"), MqttQos.AtLeastOnce, false) { PacketId = 3 });
        var ack = await dev.ReceiveAsync<MqttPubAckPacket>();
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, ack.ReasonCode);
        Assert.Equal("payload is not JSON", ack.Properties.ReasonString);

        await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", B("{}"), MqttQos.AtLeastOnce, false) { PacketId = 4 });
        Assert.Equal(MqttReasonCode.Success, (await dev.ReceiveAsync<MqttPubAckPacket>()).ReasonCode);

        // A device that asked for no problem information still gets the code, without the text.
        await using var terse = await ConnectAsync(Connect(V5, "dev2", "dev2", "s2") with { Properties = new MqttProperties { RequestProblemInformation = 0 } });
        await terse.SendAsync(new MqttPublishPacket("telecare/v1/dev2/event", B("not json"), MqttQos.AtLeastOnce, false) { PacketId = 5 });
        var terseAck = await terse.ReceiveAsync<MqttPubAckPacket>();
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, terseAck.ReasonCode);
        Assert.Null(terseAck.Properties.ReasonString);
        var routed = await gateway.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("{}", Encoding.UTF8.GetString(routed.Payload.Span));
    }

    [Fact]
    public async Task A_handler_failure_closes_the_connection_without_an_acknowledgement()
    {
        _handler.Decide = _ => throw new InvalidOperationException("store unavailable");
        await using var dev = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1"));
        await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", B("{}"), MqttQos.AtLeastOnce, false) { PacketId = 1 });
        await dev.WaitClosedAsync();
        Assert.False(dev.TryTake(out var extra), $"unexpected {extra}");
    }

    [Fact]
    public async Task A_busy_handler_closes_a_v5_connection_with_0x89_and_its_reason_and_acknowledges_nothing()
    {
        _handler.Decide = _ => throw new MqttServerBusyException("cannot store right now");
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", B("{}"), MqttQos.AtLeastOnce, false) { PacketId = 1 });

        var disconnect = await dev.ReceiveAsync<MqttDisconnectPacket>();
        Assert.Equal(MqttReasonCode.ServerBusy, disconnect.ReasonCode);
        Assert.Equal("cannot store right now", disconnect.Properties.ReasonString);
        await dev.WaitClosedAsync();
        Assert.False(dev.TryTake(out var extra), $"unexpected {extra}");
    }

    [Theory]
    [InlineData(V3, (ushort)0)]
    [InlineData(V5, (ushort)0)]
    [InlineData(V5, (ushort)600)]
    public async Task A_keep_alive_of_none_or_beyond_the_maximum_is_held_to_the_maximum(MqttProtocolVersion version, ushort asked)
    {
        await using var broker = NewBroker(new MqttBrokerOptions { MaxKeepAlive = TimeSpan.FromSeconds(10) });
        var dev = await MqttTestPeer.ConnectAsync(broker, Connect(version, "dev1", "dev1", "s1", keepAlive: asked));
        await using var _d = dev;
        Assert.Equal(version == V5 ? (ushort)10 : null, dev.LastConnAck!.Properties.ServerKeepAlive);

        // Half a PUBLISH, then nothing: the stalled packet does not count as a sign of life.
        await dev.SendRawAsync(MqttTestBuffers.Hex("32 20 00 16"));
        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(dev.Closed.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        await dev.WaitClosedAsync();
    }

    [Fact]
    public async Task Sockets_beyond_the_pending_limit_are_closed_at_once_and_idle_ones_after_the_connect_timeout()
    {
        await using var broker = NewBroker(new MqttBrokerOptions
        {
            Endpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            MaxPendingConnections = 2,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        await broker.StartAsync();
        var idle = new List<System.Net.Sockets.TcpClient>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                idle.Add(new System.Net.Sockets.TcpClient());
                await idle[^1].ConnectAsync(broker.LocalEndPoint!);
            }

            await WaitUntilAsync(() => broker.PendingConnectionCount == 2, "two pending connections");
            using var third = new System.Net.Sockets.TcpClient();
            await third.ConnectAsync(broker.LocalEndPoint!);
            Assert.Equal(0, await ReadAsync(third));
            Assert.Contains(_log, l => l.Contains("already waiting to CONNECT", StringComparison.Ordinal));

            _time.Advance(TimeSpan.FromSeconds(5));
            foreach (var client in idle)
            {
                Assert.Equal(0, await ReadAsync(client));
            }

            await WaitUntilAsync(() => broker.PendingConnectionCount == 0, "the pending count to fall back");
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }

        static async Task<int> ReadAsync(System.Net.Sockets.TcpClient client)
        {
            using var timeout = new CancellationTokenSource(MqttTestPeer.Timeout);
            return await client.GetStream().ReadAsync(new byte[16], timeout.Token);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + MqttTestPeer.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Publishing_outside_the_own_prefix_is_refused_with_0x87_on_v5()
    {
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev2/event", B("{}"), MqttQos.AtLeastOnce, false) { PacketId = 1 });
        Assert.Equal(MqttReasonCode.NotAuthorized, (await dev.ReceiveAsync<MqttPubAckPacket>()).ReasonCode);
        await dev.SendAsync(new MqttSubscribePacket(2, [new MqttSubscription("telecare/v1/#", MqttQos.AtLeastOnce)]));
        Assert.Equal(MqttReasonCode.NotAuthorized, Assert.Single((await dev.ReceiveAsync<MqttSubAckPacket>()).ReasonCodes));
        Assert.Equal(0, Volatile.Read(ref _handler.PublishCalls));
    }

    [Fact]
    public async Task Qos2_inbound_is_delivered_once_even_when_the_publish_is_resent()
    {
        await using var dev = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1"));
        var publish = new MqttPublishPacket("telecare/v1/dev1/event", B("{}"), MqttQos.ExactlyOnce, false) { PacketId = 9 };
        await dev.SendAsync(publish);
        Assert.Equal((ushort)9, (await dev.ReceiveAsync<MqttPubRecPacket>()).PacketId);
        await dev.SendAsync(publish with { Dup = true });
        Assert.Equal((ushort)9, (await dev.ReceiveAsync<MqttPubRecPacket>()).PacketId);
        await dev.SendAsync(new MqttPubRelPacket(9));
        Assert.Equal((ushort)9, (await dev.ReceiveAsync<MqttPubCompPacket>()).PacketId);
        Assert.Equal(1, Volatile.Read(ref _handler.PublishCalls));

        // After PUBCOMP the id is free again: the same id is a new message.
        await dev.SendAsync(publish);
        await dev.ReceiveAsync<MqttPubRecPacket>();
        Assert.Equal(2, Volatile.Read(ref _handler.PublishCalls));
    }

    [Fact]
    public async Task Qos2_outbound_runs_publish_pubrec_pubrel_pubcomp()
    {
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await SubscribeAsync(dev, "telecare/v1/dev1/ack", MqttQos.ExactlyOnce);
        await _broker.PublishAsync("telecare/v1/dev1/ack", B("received"), MqttQos.ExactlyOnce);
        var p = await dev.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal(MqttQos.ExactlyOnce, p.Qos);
        Assert.NotEqual(0, p.PacketId);
        await dev.SendAsync(new MqttPubRecPacket(p.PacketId));
        Assert.Equal(p.PacketId, (await dev.ReceiveAsync<MqttPubRelPacket>()).PacketId);
        await dev.SendAsync(new MqttPubCompPacket(p.PacketId));
        Assert.Empty(await dev.RoundTripAsync());
    }

    [Fact]
    public async Task A_second_connection_with_the_same_client_id_takes_the_session_over()
    {
        var first = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1", clean: false) with
        {
            Properties = new MqttProperties { SessionExpiryInterval = 300 },
        });
        await SubscribeAsync(first, "telecare/v1/dev1/ack", MqttQos.AtLeastOnce);
        await using var second = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1", clean: false) with
        {
            Properties = new MqttProperties { SessionExpiryInterval = 300 },
        });
        Assert.True(second.LastConnAck!.SessionPresent);
        var disconnect = await first.ReceiveAsync<MqttDisconnectPacket>();
        Assert.Equal(MqttReasonCode.SessionTakenOver, disconnect.ReasonCode);
        await first.WaitClosedAsync();
        await first.DisposeAsync();

        await _broker.PublishAsync("telecare/v1/dev1/ack", B("a"), MqttQos.AtLeastOnce);
        Assert.Equal("telecare/v1/dev1/ack", (await second.ReceiveAsync<MqttPublishPacket>()).Topic);
    }

    [Fact]
    public async Task Will_is_published_when_the_connection_drops_but_not_after_disconnect()
    {
        await using var gateway = await ConnectAsync(Connect(V3, "gw", "gateway", "g"));
        await SubscribeAsync(gateway, "telecare/v1/+/status", MqttQos.AtLeastOnce);
        var withWill = Connect(V3, "dev1", "dev1", "s1") with { Will = new MqttWill("telecare/v1/dev1/status", B("offline"), MqttQos.AtLeastOnce, true) };

        var polite = await ConnectAsync(withWill);
        await polite.SendAsync(new MqttDisconnectPacket());
        await polite.WaitClosedAsync();
        await polite.DisposeAsync();

        var dropped = await ConnectAsync(withWill);
        await dropped.CloseAsync();
        await dropped.WaitClosedAsync();

        var will = await gateway.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("telecare/v1/dev1/status", will.Topic);
        Assert.Equal("offline", Encoding.UTF8.GetString(will.Payload.Span));
        Assert.Empty(await gateway.RoundTripAsync());
        Assert.Equal("telecare/v1/dev1/status", (await _handler.NextPublishedAsync()).Topic);

        // Retained: a later subscriber sees the device offline.
        await using var late = await ConnectAsync(Connect(V3, "gw2", "gateway", "g"));
        await SubscribeAsync(late, "telecare/v1/dev1/status", MqttQos.AtLeastOnce);
        var retained = await late.ReceiveAsync<MqttPublishPacket>();
        Assert.True(retained.Retain);
        Assert.Equal("offline", Encoding.UTF8.GetString(retained.Payload.Span));
    }

    [Fact]
    public async Task Keep_alive_closes_the_connection_after_one_and_a_half_intervals_of_silence()
    {
        await using var gateway = await ConnectAsync(Connect(V3, "gw", "gateway", "g"));
        await SubscribeAsync(gateway, "telecare/v1/+/status", MqttQos.AtMostOnce);
        var dev = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1", keepAlive: 10) with
        {
            Will = new MqttWill("telecare/v1/dev1/status", B("offline"), MqttQos.AtMostOnce, false),
        });
        await using var _d = dev;

        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.Empty(await dev.RoundTripAsync());
        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.Empty(await dev.RoundTripAsync());
        Assert.False(dev.Closed.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(15.5));
        await dev.WaitClosedAsync();
        Assert.Equal("offline", Encoding.UTF8.GetString((await gateway.ReceiveAsync<MqttPublishPacket>()).Payload.Span));
    }

    [Fact]
    public async Task Retained_message_goes_to_new_subscribers_and_an_empty_one_clears_it()
    {
        await _broker.PublishAsync("telecare/v1/dev1/config", B("{\"v\":1}"), MqttQos.AtLeastOnce, retain: true);
        await using (var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1")))
        {
            await SubscribeAsync(dev, "telecare/v1/dev1/config", MqttQos.AtLeastOnce);
            var p = await dev.ReceiveAsync<MqttPublishPacket>();
            Assert.True(p.Retain);
            Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString(p.Payload.Span));
            await dev.SendAsync(new MqttPubAckPacket(p.PacketId));
        }

        await _broker.PublishAsync("telecare/v1/dev1/config", ReadOnlyMemory<byte>.Empty, MqttQos.AtLeastOnce, retain: true);
        await using var again = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await SubscribeAsync(again, "telecare/v1/dev1/config", MqttQos.AtLeastOnce);
        Assert.Empty(await again.RoundTripAsync());
    }

    [Fact]
    public async Task Messages_for_an_offline_persistent_session_are_queued_and_delivered_on_reconnect()
    {
        var first = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1", clean: false));
        await SubscribeAsync(first, "telecare/v1/dev1/ack", MqttQos.AtLeastOnce);
        await first.SendAsync(new MqttDisconnectPacket());
        await first.WaitClosedAsync();
        await first.DisposeAsync();

        for (var i = 1; i <= 3; i++)
        {
            await _broker.PublishAsync("telecare/v1/dev1/ack", B($"ack {i}"), MqttQos.AtLeastOnce);
        }

        await _broker.PublishAsync("telecare/v1/dev1/ack", B("qos0 is not queued"), MqttQos.AtMostOnce);

        await using var second = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1", clean: false));
        Assert.True(second.LastConnAck!.SessionPresent);
        for (var i = 1; i <= 3; i++)
        {
            var p = await second.ReceiveAsync<MqttPublishPacket>();
            Assert.Equal($"ack {i}", Encoding.UTF8.GetString(p.Payload.Span));
            await second.SendAsync(new MqttPubAckPacket(p.PacketId));
        }

        Assert.Empty(await second.RoundTripAsync());
    }

    [Fact]
    public async Task Unacknowledged_qos1_is_resent_with_dup_after_reconnect()
    {
        var first = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1", clean: false));
        await SubscribeAsync(first, "telecare/v1/dev1/ack", MqttQos.AtLeastOnce);
        await _broker.PublishAsync("telecare/v1/dev1/ack", B("x"), MqttQos.AtLeastOnce);
        var original = await first.ReceiveAsync<MqttPublishPacket>();
        Assert.False(original.Dup);
        await first.CloseAsync();
        await first.WaitClosedAsync();

        await using var second = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1", clean: false));
        var resent = await second.ReceiveAsync<MqttPublishPacket>();
        Assert.True(resent.Dup);
        Assert.Equal(original.PacketId, resent.PacketId);
    }

    [Fact]
    public async Task Clean_start_discards_the_old_session()
    {
        var first = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1", clean: false));
        await SubscribeAsync(first, "telecare/v1/dev1/ack", MqttQos.AtLeastOnce);
        await first.SendAsync(new MqttDisconnectPacket());
        await first.WaitClosedAsync();
        await _broker.PublishAsync("telecare/v1/dev1/ack", B("x"), MqttQos.AtLeastOnce);
        await using var second = await ConnectAsync(Connect(V3, "dev1", "dev1", "s1", clean: true));
        Assert.False(second.LastConnAck!.SessionPresent);
        Assert.Empty(await second.RoundTripAsync());
    }

    [Fact]
    public async Task V5_session_expiry_ends_the_session_on_the_clock()
    {
        var props = new MqttProperties { SessionExpiryInterval = 60 };
        var first = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1", clean: false) with { Properties = props });
        await SubscribeAsync(first, "telecare/v1/dev1/ack", MqttQos.AtLeastOnce);
        await first.SendAsync(new MqttDisconnectPacket());
        await first.WaitClosedAsync();
        Assert.Equal(1, _broker.SessionCount);

        _time.Advance(TimeSpan.FromSeconds(59));
        await using (var back = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1", clean: false) with { Properties = props }))
        {
            Assert.True(back.LastConnAck!.SessionPresent);
            await back.SendAsync(new MqttDisconnectPacket());
            await back.WaitClosedAsync();
        }

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, _broker.SessionCount);
        await using var late = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1", clean: false) with { Properties = props });
        Assert.False(late.LastConnAck!.SessionPresent);
    }

    [Fact]
    public async Task V5_will_delay_holds_the_will_and_a_reconnect_cancels_it()
    {
        await using var gateway = await ConnectAsync(Connect(V5, "gw", "gateway", "g"));
        await SubscribeAsync(gateway, "telecare/v1/+/status", MqttQos.AtLeastOnce);
        var connect = Connect(V5, "dev1", "dev1", "s1", clean: false) with
        {
            Properties = new MqttProperties { SessionExpiryInterval = 600 },
            Will = new MqttWill("telecare/v1/dev1/status", B("offline"), MqttQos.AtLeastOnce, false)
            {
                Properties = new MqttProperties { WillDelayInterval = 30 },
            },
        };

        var dev = await ConnectAsync(connect);
        await dev.CloseAsync();
        await dev.WaitClosedAsync();
        Assert.Empty(await gateway.RoundTripAsync());
        _time.Advance(TimeSpan.FromSeconds(20));
        await using (var back = await ConnectAsync(connect))
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            Assert.Empty(await gateway.RoundTripAsync());
            await back.CloseAsync();
            await back.WaitClosedAsync();
        }

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await gateway.RoundTripAsync());
        _time.Advance(TimeSpan.FromSeconds(2));
        var will = await gateway.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("offline", Encoding.UTF8.GetString(will.Payload.Span));
        await gateway.SendAsync(new MqttPubAckPacket(will.PacketId));
    }

    [Fact]
    public async Task Wildcards_match_levels_and_do_not_reach_dollar_topics()
    {
        await using var gateway = await ConnectAsync(Connect(V3, "gw", "gateway", "g"));
        await SubscribeAsync(gateway, "#", MqttQos.AtMostOnce, 1);
        await SubscribeAsync(gateway, "telecare/v1/+/event", MqttQos.AtLeastOnce, 2);
        await _broker.PublishAsync("$SYS/load", B("1"), MqttQos.AtMostOnce);
        await _broker.PublishAsync("telecare/v1/dev9/event", B("2"), MqttQos.AtLeastOnce);
        var p = await gateway.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("telecare/v1/dev9/event", p.Topic);
        Assert.Equal(MqttQos.AtLeastOnce, p.Qos); // one copy at the highest matching QoS
        await gateway.SendAsync(new MqttPubAckPacket(p.PacketId));
        Assert.Empty(await gateway.RoundTripAsync());
    }

    [Fact]
    public async Task Shared_subscription_gives_each_message_to_exactly_one_member()
    {
        await using var a = await ConnectAsync(Connect(V5, "gw-a", "gateway", "g"));
        await using var b = await ConnectAsync(Connect(V5, "gw-b", "gateway", "g"));
        await SubscribeAsync(a, "$share/telecare-gateway/telecare/v1/+/event", MqttQos.AtLeastOnce);
        await SubscribeAsync(b, "$share/telecare-gateway/telecare/v1/+/event", MqttQos.AtLeastOnce);
        for (var i = 0; i < 10; i++)
        {
            await _broker.PublishAsync($"telecare/v1/dev{i}/event", B($"{i}"), MqttQos.AtLeastOnce);
        }

        var got = new List<string>();
        var perMember = new List<int>();
        foreach (var peer in new[] { a, b })
        {
            var packets = (await peer.RoundTripAsync()).OfType<MqttPublishPacket>().ToList();
            perMember.Add(packets.Count);
            got.AddRange(packets.Select(p => Encoding.UTF8.GetString(p.Payload.Span)));
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i}"), got.Order());
        Assert.All(perMember, n => Assert.True(n > 0));
    }

    [Fact]
    public async Task Topic_alias_stands_in_for_the_topic_name()
    {
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev1/heartbeat", B("1"), MqttQos.AtLeastOnce, false)
        {
            PacketId = 1,
            Properties = new MqttProperties { TopicAlias = 2 },
        });
        await dev.SendAsync(new MqttPublishPacket("", B("2"), MqttQos.AtLeastOnce, false)
        {
            PacketId = 2,
            Properties = new MqttProperties { TopicAlias = 2 },
        });
        await dev.ReceiveAsync<MqttPubAckPacket>();
        await dev.ReceiveAsync<MqttPubAckPacket>();
        Assert.Equal("telecare/v1/dev1/heartbeat", (await _handler.NextPublishedAsync()).Topic);
        var second = await _handler.NextPublishedAsync();
        Assert.Equal("telecare/v1/dev1/heartbeat", second.Topic);
        Assert.Null(second.Properties.TopicAlias);

        await dev.SendAsync(new MqttPublishPacket("", B("3"), MqttQos.AtMostOnce, false) { Properties = new MqttProperties { TopicAlias = 5 } });
        Assert.Equal(MqttReasonCode.ProtocolError, (await dev.ReceiveAsync<MqttDisconnectPacket>()).ReasonCode);
        await dev.WaitClosedAsync();
    }

    [Fact]
    public async Task Client_receive_maximum_limits_unacknowledged_deliveries()
    {
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1") with { Properties = new MqttProperties { ReceiveMaximum = 2 } });
        await SubscribeAsync(dev, "telecare/v1/dev1/ack", MqttQos.AtLeastOnce);
        for (var i = 0; i < 5; i++)
        {
            await _broker.PublishAsync("telecare/v1/dev1/ack", B($"{i}"), MqttQos.AtLeastOnce);
        }

        var first = (await dev.RoundTripAsync()).Cast<MqttPublishPacket>().ToList();
        Assert.Equal(2, first.Count);
        await dev.SendAsync(new MqttPubAckPacket(first[0].PacketId));
        var next = await dev.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("2", Encoding.UTF8.GetString(next.Payload.Span));
        Assert.Empty(await dev.RoundTripAsync());
    }

    [Fact]
    public async Task Expired_messages_are_not_delivered_and_the_remaining_lifetime_is_forwarded()
    {
        var props = new MqttProperties { SessionExpiryInterval = 600 };
        var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1", clean: false) with { Properties = props });
        await SubscribeAsync(dev, "telecare/v1/dev1/ack", MqttQos.AtLeastOnce);
        await dev.SendAsync(new MqttDisconnectPacket());
        await dev.WaitClosedAsync();

        await _broker.PublishAsync(new MqttApplicationMessage("telecare/v1/dev1/ack", B("short"), MqttQos.AtLeastOnce)
        {
            Properties = new MqttProperties { MessageExpiryInterval = 10, UserProperties = [new("call", "17")] },
        });
        await _broker.PublishAsync(new MqttApplicationMessage("telecare/v1/dev1/ack", B("long"), MqttQos.AtLeastOnce)
        {
            Properties = new MqttProperties { MessageExpiryInterval = 100 },
        });
        _time.Advance(TimeSpan.FromSeconds(11));

        await using var back = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1", clean: false) with { Properties = props });
        var p = await back.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("long", Encoding.UTF8.GetString(p.Payload.Span));
        Assert.Equal(89u, p.Properties.MessageExpiryInterval);
        Assert.Empty(await back.RoundTripAsync());
    }

    [Fact]
    public async Task User_properties_travel_with_the_message()
    {
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await SubscribeAsync(dev, "telecare/v1/dev1/ack", MqttQos.AtMostOnce);
        await _broker.PublishAsync(new MqttApplicationMessage("telecare/v1/dev1/ack", B("x"))
        {
            Properties = new MqttProperties { UserProperties = [new("call", "17")], ContentType = "application/json" },
        });
        var p = await dev.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal(new MqttUserProperty("call", "17"), Assert.Single(p.Properties.UserProperties));
        Assert.Equal("application/json", p.Properties.ContentType);
    }

    [Fact]
    public async Task Malformed_packet_closes_only_that_connection_with_its_reason_code()
    {
        await using var other = await ConnectAsync(Connect(V5, "dev2", "dev2", "s2"));
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        await dev.SendRawAsync(MqttTestBuffers.Hex("30 06 00 03 61 2F 2B 00"));
        await dev.SendAsync(MqttPingReqPacket.Instance);
        Assert.Equal(MqttReasonCode.TopicNameInvalid, (await dev.ReceiveAsync<MqttDisconnectPacket>()).ReasonCode);
        await dev.WaitClosedAsync();
        Assert.Empty(await other.RoundTripAsync());
        Assert.Contains(_log, l => l.Contains("packet refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Packet_larger_than_the_limit_is_refused_before_it_arrives()
    {
        await using var broker = NewBroker(new MqttBrokerOptions { MaxPacketSize = 100 });
        var dev = await MqttTestPeer.ConnectAsync(broker, Connect(V5, "dev1", "dev1", "s1"));
        await using var _d = dev;
        Assert.Equal(100u, dev.LastConnAck!.Properties.MaximumPacketSize);
        await dev.SendRawAsync(MqttTestBuffers.Hex("30 FF FF 03"));
        var refused = await dev.ReceiveAsync<MqttDisconnectPacket>();
        Assert.Equal(MqttReasonCode.PacketTooLarge, refused.ReasonCode);
        Assert.Contains("exceeds the limit of 100", refused.Properties.ReasonString, StringComparison.Ordinal);
        await dev.WaitClosedAsync();
    }

    [Fact]
    public async Task Connections_beyond_the_limit_are_refused_as_busy()
    {
        await using var broker = NewBroker(new MqttBrokerOptions { MaxConnections = 1 });
        await using var one = await MqttTestPeer.ConnectAsync(broker, Connect(V5, "dev1", "dev1", "s1"));
        await using var two = await MqttTestPeer.ConnectAsync(broker, Connect(V5, "dev2", "dev2", "s2"), MqttReasonCode.ServerBusy);
        await two.WaitClosedAsync();
        Assert.Equal(1, broker.ConnectionCount);
    }

    [Fact]
    public async Task Conformance_mode_accepts_anonymous_clients_without_acl()
    {
        await using var broker = NewBroker(new MqttBrokerOptions { ConformanceMode = true });
        await using var anon = await MqttTestPeer.ConnectAsync(broker, new MqttConnectPacket(V3, "", true, 0));
        await anon.SendAsync(new MqttSubscribePacket(1, [new MqttSubscription("anything/#", MqttQos.AtLeastOnce)]));
        Assert.Equal(MqttReasonCode.GrantedQos1, Assert.Single((await anon.ReceiveAsync<MqttSubAckPacket>()).ReasonCodes));
    }

    [Fact]
    public async Task Empty_client_id_without_clean_session_is_rejected_on_3_1_1()
    {
        await using var peer = await ConnectAsync(new MqttConnectPacket(V3, "", false, 0) { Username = "dev1", Password = B("s1") }, (MqttReasonCode)2);
        await peer.WaitClosedAsync();
    }

    [Fact]
    public async Task V5_empty_client_id_gets_an_assigned_identifier()
    {
        await using var peer = await ConnectAsync(new MqttConnectPacket(V5, "", true, 0) { Username = "dev1", Password = B("s1") });
        Assert.StartsWith("auto-", peer.LastConnAck!.Properties.AssignedClientIdentifier);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_setting_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new MqttBroker(new MqttBrokerOptions { ReceiveMaximum = 0 }, _handler));
        Assert.Contains(nameof(MqttBrokerOptions.ReceiveMaximum), e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new MqttBroker(new MqttBrokerOptions { MaxPacketSize = 10 }, _handler));
        Assert.Contains(nameof(MqttBrokerOptions.MaxPacketSize), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_can_disconnect_a_client_with_a_reason()
    {
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1"));
        Assert.True(_broker.DisconnectClient("dev1"));
        Assert.Equal(MqttReasonCode.AdministrativeAction, (await dev.ReceiveAsync<MqttDisconnectPacket>()).ReasonCode);
        await dev.WaitClosedAsync();
        Assert.False(_broker.DisconnectClient("nobody"));
    }

    [Fact]
    public async Task V5_subscription_options_no_local_retain_as_published_retain_handling_and_identifiers()
    {
        await _broker.PublishAsync("telecare/v1/gw/config", B("retained"), MqttQos.AtLeastOnce, retain: true);
        await using var gw = await ConnectAsync(Connect(V5, "gw", "gateway", "g"));
        await gw.SendAsync(new MqttSubscribePacket(1,
        [
            new MqttSubscription("telecare/v1/gw/echo", MqttQos.AtLeastOnce) { NoLocal = true },
            new MqttSubscription("telecare/v1/gw/config", MqttQos.AtLeastOnce) { RetainAsPublished = true, RetainHandling = MqttRetainHandling.DoNotSend },
        ])
        { Properties = new MqttProperties { SubscriptionIdentifiers = [42] } });
        Assert.Equal([MqttReasonCode.GrantedQos1, MqttReasonCode.GrantedQos1], (await gw.ReceiveAsync<MqttSubAckPacket>()).ReasonCodes);
        Assert.Empty(await gw.RoundTripAsync()); // retain handling 2: nothing at subscribe

        await gw.SendAsync(new MqttPublishPacket("telecare/v1/gw/echo", B("mine"), MqttQos.AtLeastOnce, false) { PacketId = 9 });
        await gw.ReceiveAsync<MqttPubAckPacket>();
        Assert.Empty(await gw.RoundTripAsync()); // no-local: own message not echoed

        await _broker.PublishAsync("telecare/v1/gw/config", B("v2"), MqttQos.AtLeastOnce, retain: true);
        var p = await gw.ReceiveAsync<MqttPublishPacket>();
        Assert.True(p.Retain); // retain as published
        Assert.Equal(42u, Assert.Single(p.Properties.SubscriptionIdentifiers));

        await gw.SendAsync(new MqttUnsubscribePacket(2, ["telecare/v1/gw/echo", "never/subscribed"]));
        Assert.Equal([MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted], (await gw.ReceiveAsync<MqttUnsubAckPacket>()).ReasonCodes);
    }

    [Fact]
    public async Task Messages_larger_than_the_client_maximum_packet_size_are_not_sent_to_it()
    {
        await using var dev = await ConnectAsync(Connect(V5, "dev1", "dev1", "s1") with { Properties = new MqttProperties { MaximumPacketSize = 64 } });
        await SubscribeAsync(dev, "telecare/v1/dev1/config", MqttQos.AtLeastOnce);
        await _broker.PublishAsync("telecare/v1/dev1/config", new byte[200], MqttQos.AtLeastOnce);
        await _broker.PublishAsync("telecare/v1/dev1/config", B("small"), MqttQos.AtLeastOnce);
        var p = await dev.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("small", Encoding.UTF8.GetString(p.Payload.Span));
    }

    [Fact]
    public async Task A_handler_that_never_finishes_does_not_keep_a_dropped_connection_alive()
    {
        _handler.Gate = new TaskCompletionSource(); // never completed
        await using var broker = NewBroker(new MqttBrokerOptions { HandlerDrainTimeout = TimeSpan.FromMilliseconds(200) });
        var (peer, server) = MqttTestPeer.Attach(broker, V3);
        await using var _p = peer;
        await peer.SendAsync(Connect(V3, "dev1", "dev1", "s1"));
        await peer.ReceiveAsync<MqttConnAckPacket>();
        await peer.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", B("{}"), MqttQos.AtLeastOnce, false) { PacketId = 1 });
        await MqttTestProcess.WaitUntilAsync(() => Volatile.Read(ref _handler.PublishCalls) == 1, "the handler to be called");
        await peer.CloseAsync();
        await server.WaitAsync(MqttTestPeer.Timeout);
        Assert.Equal(0, broker.ConnectionCount);
        Assert.Contains(_log, l => l.Contains("handler still busy", StringComparison.Ordinal));
    }
}

using Telecare.Testing;
using System.Net;
using System.Net.Security;
using System.Text;
using System.Threading.Channels;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>Client rules with a scripted server on in-memory pipes and a manual clock, and against our broker over TLS.</summary>
public sealed class MqttClientProtocolTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    private readonly MqttManualTimeProvider _time = new();
    private readonly Channel<MqttTestPeer> _servers = Channel.CreateUnbounded<MqttTestPeer>();

    private MqttClientOptions ScriptedOptions(MqttProtocolVersion version) => new()
    {
        ProtocolVersion = version,
        ClientId = "dev1",
        KeepAliveSeconds = 10,
        CleanStart = false,
        SessionExpirySeconds = 600,
        ReconnectMinDelay = TimeSpan.FromSeconds(1),
        ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        TransportFactory = _ =>
        {
            var (client, server) = MqttTestPeer.CreatePair(version);
            _servers.Writer.TryWrite(server);
            return ValueTask.FromResult(client);
        },
    };

    private async Task<MqttTestPeer> NextServerAsync()
    {
        using var cts = new CancellationTokenSource(MqttTestPeer.Timeout);
        return await _servers.Reader.ReadAsync(cts.Token);
    }

    private static async Task<MqttConnectPacket> AcceptAsync(MqttTestPeer server, bool sessionPresent)
    {
        var connect = await server.ReceiveAsync<MqttConnectPacket>();
        await server.SendAsync(new MqttConnAckPacket(sessionPresent, MqttReasonCode.Success));
        return connect;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Keep_alive_pings_detects_a_dead_link_and_resends_the_unacknowledged_publish(MqttProtocolVersion version)
    {
        await using var client = new MqttClient(ScriptedOptions(version), _time);
        var connecting = client.ConnectAsync();
        var server = await NextServerAsync();
        var connect = await AcceptAsync(server, sessionPresent: false);
        Assert.Equal((ushort)10, connect.KeepAliveSeconds);
        Assert.False(connect.CleanStart);
        await connecting;

        var publish = client.PublishAsync("telecare/v1/dev1/event", "{\"seq\":1}", MqttQos.AtLeastOnce);
        var first = await server.ReceiveAsync<MqttPublishPacket>();
        Assert.False(first.Dup);

        _time.Advance(TimeSpan.FromSeconds(10));
        await server.ReceiveAsync<MqttPingReqPacket>();
        Assert.False(publish.IsCompleted);

        // No answer for 1.5 keep-alive intervals: the client drops the link and dials again.
        _time.Advance(TimeSpan.FromSeconds(10));
        await server.WaitClosedAsync();
        MqttTestPeer? second = null;
        await MqttTestProcess.WaitUntilAsync(() =>
        {
            if (_servers.Reader.TryRead(out second))
            {
                return true;
            }

            _time.Advance(TimeSpan.FromMilliseconds(250));
            return false;
        }, "the client to reconnect");

        await AcceptAsync(second!, sessionPresent: true);
        var again = await second!.ReceiveAsync<MqttPublishPacket>();
        Assert.True(again.Dup);
        Assert.Equal(first.PacketId, again.PacketId);
        await second.SendAsync(new MqttPubAckPacket(again.PacketId));
        Assert.True((await publish.WaitAsync(MqttTestPeer.Timeout)).IsSuccess);
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Incoming_message_is_acknowledged_only_after_the_handler_finishes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = ScriptedOptions(V5);
        options.MessageHandler = async (m, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return m.Payload.Span.SequenceEqual("bad"u8) ? MqttPublishOutcome.PayloadFormatInvalid("not JSON") : MqttPublishOutcome.Success;
        };
        await using var client = new MqttClient(options, _time);
        var connecting = client.ConnectAsync();
        var server = await NextServerAsync();
        await AcceptAsync(server, false);
        await connecting;

        await server.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", "bad"u8.ToArray(), MqttQos.AtLeastOnce, false) { PacketId = 4 });
        _time.Advance(TimeSpan.FromSeconds(10));
        await server.ReceiveAsync<MqttPingReqPacket>(); // the client is alive and has not acknowledged
        gate.SetResult();
        var ack = await server.ReceiveAsync<MqttPubAckPacket>();
        Assert.Equal((ushort)4, ack.PacketId);
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, ack.ReasonCode);
        Assert.Equal("not JSON", ack.Properties.ReasonString);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Handlers_overlap_but_acknowledgements_keep_arrival_order()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = ScriptedOptions(V5);
        options.MessageHandler = async (m, ct) =>
        {
            if (m.Payload.Span.SequenceEqual("1"u8))
            {
                await first.Task.WaitAsync(ct);
            }
            else
            {
                secondStarted.TrySetResult();
            }

            return MqttPublishOutcome.Success;
        };
        await using var client = new MqttClient(options, _time);
        var connecting = client.ConnectAsync();
        var server = await NextServerAsync();
        await AcceptAsync(server, false);
        await connecting;

        await server.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", "1"u8.ToArray(), MqttQos.AtLeastOnce, false) { PacketId = 1 });
        await server.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", "2"u8.ToArray(), MqttQos.AtLeastOnce, false) { PacketId = 2 });
        // The second message is handed over while the first is still being handled (a sink can commit both at once)...
        await secondStarted.Task.WaitAsync(MqttTestPeer.Timeout);
        _time.Advance(TimeSpan.FromSeconds(10));
        await server.ReceiveAsync<MqttPingReqPacket>(); // ...yet neither is acknowledged while the first is unfinished.
        first.SetResult();
        Assert.Equal((ushort)1, (await server.ReceiveAsync<MqttPubAckPacket>()).PacketId);
        Assert.Equal((ushort)2, (await server.ReceiveAsync<MqttPubAckPacket>()).PacketId);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Incoming_qos2_is_handed_over_once_even_when_resent()
    {
        var calls = 0;
        var options = ScriptedOptions(V5);
        options.MessageHandler = (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult(MqttPublishOutcome.Success);
        };
        await using var client = new MqttClient(options, _time);
        var connecting = client.ConnectAsync();
        var server = await NextServerAsync();
        await AcceptAsync(server, false);
        await connecting;

        var publish = new MqttPublishPacket("telecare/v1/dev1/config", "{}"u8.ToArray(), MqttQos.ExactlyOnce, true) { PacketId = 5 };
        await server.SendAsync(publish);
        Assert.Equal((ushort)5, (await server.ReceiveAsync<MqttPubRecPacket>()).PacketId);
        await server.SendAsync(publish with { Dup = true });
        Assert.Equal((ushort)5, (await server.ReceiveAsync<MqttPubRecPacket>()).PacketId);
        await server.SendAsync(new MqttPubRelPacket(5));
        Assert.Equal((ushort)5, (await server.ReceiveAsync<MqttPubCompPacket>()).PacketId);
        Assert.Equal(1, Volatile.Read(ref calls));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Refused_connect_surfaces_the_reason_code()
    {
        var options = ScriptedOptions(V5);
        await using var client = new MqttClient(options, _time);
        var connecting = client.ConnectAsync();
        var server = await NextServerAsync();
        await server.ReceiveAsync<MqttConnectPacket>();
        await server.SendAsync(new MqttConnAckPacket(false, MqttReasonCode.BadUserNameOrPassword));
        var refused = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => connecting);
        Assert.Equal(MqttReasonCode.BadUserNameOrPassword, refused.ReasonCode);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Our_client_and_our_broker_over_tls_carry_reason_codes_both_ways()
    {
        using var certificate = MqttTestCertificates.SelfSigned();
        var handler = new MqttTestBrokerHandler();
        handler.Secrets["dev1"] = "s1";
        handler.Decide = m => m.Payload.Span.SequenceEqual("oops"u8) ? MqttPublishOutcome.PayloadFormatInvalid("payload is not JSON") : MqttPublishOutcome.Success;
        await using var broker = new MqttBroker(new MqttBrokerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), Certificate = certificate }, handler);
        await broker.StartAsync();

        var inbox = Channel.CreateUnbounded<MqttApplicationMessage>();
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = "localhost",
            Port = broker.LocalEndPoint!.Port,
            UseTls = true,
            TlsOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString(),
            },
            ClientId = "dev1",
            Username = "dev1",
            Password = "s1",
            MessageHandler = (m, _) =>
            {
                inbox.Writer.TryWrite(m);
                return ValueTask.FromResult(MqttPublishOutcome.Success);
            },
        });
        await client.ConnectAsync();
        var rejected = await client.PublishAsync("telecare/v1/dev1/event", "oops", MqttQos.AtLeastOnce);
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, rejected.ReasonCode);
        Assert.Equal("payload is not JSON", rejected.ReasonString);
        Assert.True((await client.PublishAsync("telecare/v1/dev1/event", "{}", MqttQos.ExactlyOnce)).IsSuccess);

        await client.SubscribeAsync("telecare/v1/dev1/ack", MqttQos.AtLeastOnce);
        await broker.PublishAsync("telecare/v1/dev1/ack", Encoding.UTF8.GetBytes("call 17 answered"), MqttQos.AtLeastOnce);
        using var cts = new CancellationTokenSource(MqttTestPeer.Timeout);
        var ack = await inbox.Reader.ReadAsync(cts.Token);
        Assert.Equal("call 17 answered", Encoding.UTF8.GetString(ack.Payload.Span));
    }
}

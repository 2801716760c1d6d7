using System.Text;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>Garbage after a good CONNECT never escapes a connection or harms the broker.</summary>
public sealed class MqttBrokerFuzzTests
{
    [Fact]
    public async Task Seeded_garbage_on_connections_never_fails_the_broker()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("TELECARE_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 2000;
        iterations = Math.Max(50, iterations / 8);
        var handler = new MqttTestBrokerHandler();
        handler.Secrets["dev1"] = "s1";
        handler.Secrets["gateway"] = "g";
        var errors = new List<string>();
        await using var broker = new MqttBroker(new MqttBrokerOptions { Log = l => { lock (errors) { errors.Add(l); } } }, handler, new MqttManualTimeProvider());
        await using var watcher = await MqttTestPeer.ConnectAsync(broker, new MqttConnectPacket(MqttProtocolVersion.V500, "gw", true, 0) { Username = "gateway", Password = Encoding.UTF8.GetBytes("g") });
        await watcher.SendAsync(new MqttSubscribePacket(1, [new MqttSubscription("#", MqttQos.AtLeastOnce)]));
        await watcher.ReceiveAsync<MqttSubAckPacket>();

        var random = new Random(1122);
        var fixtures = MqttCodecFixtures.All.Where(f => f.Packet is not MqttConnectPacket).ToList();
        for (var i = 0; i < iterations; i++)
        {
            var version = random.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
            var (peer, server) = MqttTestPeer.Attach(broker, version);
            await peer.SendAsync(new MqttConnectPacket(version, $"dev1-{i % 3}", random.Next(2) == 0, 0) { Username = "dev1", Password = Encoding.UTF8.GetBytes("s1") });
            var garbage = new List<byte>();
            for (var k = random.Next(1, 5); k > 0; k--)
            {
                var bytes = fixtures[random.Next(fixtures.Count)].Bytes;
                if (random.Next(2) == 0 && bytes.Length > 0)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                garbage.AddRange(bytes);
            }

            await peer.SendRawAsync([.. garbage]);
            await peer.CloseAsync();
            await server.WaitAsync(MqttTestPeer.Timeout);
            await peer.DisposeAsync();
        }

        // The broker still serves: a fresh device publishes and the watcher gets it.
        await using var dev = await MqttTestPeer.ConnectAsync(broker, new MqttConnectPacket(MqttProtocolVersion.V311, "fresh", true, 0) { Username = "dev1", Password = Encoding.UTF8.GetBytes("s1") });
        await dev.SendAsync(new MqttPublishPacket("telecare/v1/dev1/event", "{}"u8.ToArray(), MqttQos.AtLeastOnce, false) { PacketId = 1 });
        await dev.ReceiveAsync<MqttPubAckPacket>();
        while (true)
        {
            var p = await watcher.ReceiveAsync();
            if (p is MqttPublishPacket publish)
            {
                if (publish.Topic == "telecare/v1/dev1/event" && publish.Payload.Span.SequenceEqual("{}"u8))
                {
                    break;
                }

                if (publish.Qos != MqttQos.AtMostOnce)
                {
                    await watcher.SendAsync(new MqttPubAckPacket(publish.PacketId));
                }
            }
        }

        Assert.DoesNotContain(errors, e => e.Contains("failed:", StringComparison.Ordinal));
    }
}

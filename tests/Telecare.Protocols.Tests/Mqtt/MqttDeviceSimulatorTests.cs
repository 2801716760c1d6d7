using Telecare.Testing;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telecare.FirmwareSim.Devices;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>The firmware-sim device fleet against our broker, checked against the MQTT device contract (README).</summary>
public sealed partial class MqttDeviceSimulatorTests
{
    private static readonly HashSet<string> Vocabulary =
    [
        "pendant.press", "pendant.cancel", "fall.detected", "smoke.alarm", "co.alarm", "flood.alarm",
        "temperature.low", "temperature.high", "door.exit", "bed.absent", "chair.absent", "inactivity",
    ];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex UtcSeconds();

    [Fact]
    public void Event_payload_has_exactly_the_contract_fields()
    {
        var payload = DevicePayloads.Event(17, new DateTimeOffset(2026, 11, 22, 3, 12, 9, TimeSpan.Zero), new DeviceEvent("pendant.press"), 87);
        Assert.Equal("{\"seq\":17,\"ts\":\"2026-11-22T03:12:09Z\",\"type\":\"pendant.press\",\"restore\":false,\"battery\":87,\"data\":{}}", Encoding.UTF8.GetString(payload));
        Assert.Equal("{\"seq\":18,\"battery\":86}", Encoding.UTF8.GetString(DevicePayloads.Heartbeat(18, 86)));
        var co = DevicePayloads.Event(1, DateTimeOffset.UnixEpoch, new DeviceEvent("co.alarm", true) { Data = [new("ppm", 250)] }, 50);
        using var doc = JsonDocument.Parse(co);
        Assert.True(doc.RootElement.GetProperty("restore").GetBoolean());
        Assert.Equal(250, doc.RootElement.GetProperty("data").GetProperty("ppm").GetInt32());
    }

    [Fact]
    public void Every_kind_speaks_the_domain_vocabulary()
    {
        var random = new Random(7);
        foreach (var kind in DeviceCatalog.All)
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.Contains(DeviceCatalog.NextEvent(kind, random).Type, Vocabulary);
            }

            Assert.True(DeviceCatalog.TryParse(DeviceCatalog.IdPrefix(kind), out var parsed));
            Assert.Equal(kind, parsed);
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Load_run_gets_every_event_acknowledged_in_per_device_order(MqttProtocolVersion version)
    {
        var handler = new MqttTestBrokerHandler();
        var fleet = new DeviceFleetOptions { ProtocolVersion = version, Count = 10, Seed = 3, Secret = null };
        var ids = fleet.Devices();
        var credentials = ids.ToDictionary(d => d.Id, d => $"secret-{d.Id}");
        foreach (var (id, secret) in credentials)
        {
            handler.Secrets[id] = secret;
        }

        fleet.Credentials = credentials;
        await using var broker = new MqttBroker(new MqttBrokerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, handler);
        await broker.StartAsync();
        fleet.Port = broker.LocalEndPoint!.Port;

        var report = await DeviceLoadRunner.RunAsync(fleet, ratePerSecond: 300, duration: TimeSpan.FromSeconds(1));
        Assert.True(report.Sent > 0, report.ToString());
        Assert.Equal(0, report.Failed);
        Assert.Equal(report.Sent, report.Acked);
        Assert.True(report.P50Ms <= report.P99Ms && report.P99Ms <= report.P999Ms, report.ToString());

        var lastSeq = new ConcurrentDictionary<string, long>();
        var events = 0;
        var statuses = new List<string>();
        while (handler.Published.Reader.TryRead(out var item))
        {
            var (client, message) = item;
            var parts = message.Topic.Split('/');
            Assert.Equal(["telecare", "v1"], parts[..2]);
            Assert.Equal(client.Username, parts[2]);
            if (parts[3] == "event")
            {
                events++;
                Assert.Equal(MqttQos.AtLeastOnce, message.Qos);
                using var doc = JsonDocument.Parse(message.Payload);
                var seq = doc.RootElement.GetProperty("seq").GetInt64();
                Assert.True(seq > lastSeq.GetValueOrDefault(parts[2]), $"{parts[2]} seq {seq} after {lastSeq.GetValueOrDefault(parts[2])}");
                lastSeq[parts[2]] = seq;
                Assert.Matches(UtcSeconds(), doc.RootElement.GetProperty("ts").GetString());
                Assert.Contains(doc.RootElement.GetProperty("type").GetString()!, Vocabulary);
            }
            else
            {
                Assert.Equal("status", parts[3]);
                Assert.True(message.Retain);
                statuses.Add($"{parts[2]} {Encoding.UTF8.GetString(message.Payload.Span)}");
            }
        }

        Assert.Equal(report.Sent, events);
        // The runner takes devices in turn, so every device sends once the run has sent ten; a loaded machine may
        // manage fewer than ten in the one-second run, and then exactly that many devices have sent.
        Assert.Equal((int)Math.Min(10, report.Sent), lastSeq.Count);
        foreach (var (id, _) in ids)
        {
            Assert.Contains($"{id} online", statuses);
            Assert.Contains($"{id} offline", statuses);
        }
    }

    [Fact]
    public async Task Scenario_devices_raise_alarms_and_hear_the_gateway_ack()
    {
        var handler = new MqttTestBrokerHandler();
        await using var broker = new MqttBroker(new MqttBrokerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, handler);
        await broker.StartAsync();
        var fleet = new DeviceFleetOptions { Port = broker.LocalEndPoint!.Port, Count = 2, Kinds = [DeviceKind.Pendant, DeviceKind.FallDetector], Secret = "s", Seed = 1 };
        foreach (var (id, _) in fleet.Devices())
        {
            handler.Secrets[id] = "s";
        }

        var output = new StringWriter();
        using var cts = new CancellationTokenSource(MqttTestPeer.Timeout);
        var run = DevicesMode.RunScenarioAsync(fleet, eventsPerMinute: 600, heartbeat: TimeSpan.FromMilliseconds(300), TextWriter.Synchronized(output), cts.Token);

        // Answer the first alarm the way the gateway does, then stop.
        string? alarmFrom = null;
        while (alarmFrom is null)
        {
            var message = await handler.NextPublishedAsync();
            if (message.Topic.EndsWith("/event", StringComparison.Ordinal))
            {
                alarmFrom = message.Topic.Split('/')[2];
            }
        }

        await broker.PublishAsync(DeviceTopics.Ack(alarmFrom), Encoding.UTF8.GetBytes("{\"received\":true}"), MqttQos.AtLeastOnce);
        await MqttTestProcess.WaitUntilAsync(() => output.ToString().Contains($"{alarmFrom} <- {DeviceTopics.Ack(alarmFrom)}", StringComparison.Ordinal), "the device to print the ack");
        await cts.CancelAsync();
        await run.WaitAsync(MqttTestPeer.Timeout);
        Assert.Contains("acknowledged", output.ToString(), StringComparison.Ordinal);
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;
using Telecare.Gateway.Tests.Support;
using Telecare.Protocols.Mqtt;
using Telecare.Testing;

namespace Telecare.Gateway.Tests.Ingress.Mqtt;

/// <summary>
/// External mode: the in-process gateway is a client of a real mosquitto started by the test (verbose, so the test can
/// read which packets crossed), devices publish to mosquitto with mosquitto_pub or our own client.
/// </summary>
public sealed class MqttExternalIngressTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private const string Device = "ext-pendant-1";
    private readonly string _pub = MqttTestProcess.Find("mosquitto_pub", "mosquitto-clients");
    private readonly string _sub = MqttTestProcess.Find("mosquitto_sub", "mosquitto-clients");
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly TempDirectory _shared = new();
    private MqttMosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MqttMosquittoBroker.StartAsync(verbose: true);

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _broker.DisposeAsync();
        _shared.Dispose();
    }

    /// <summary>A gateway in External mode on the test's mosquitto, with the test device registered, once it has subscribed.</summary>
    private async Task<GatewayFactory> StartGatewayAsync(string clientId, string? databasePath = null, bool register = true,
        MqttMosquittoBroker? broker = null, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:External:Host"] = "127.0.0.1",
            ["Mqtt:External:Port"] = (broker ?? _broker).Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:External:ClientId"] = clientId,
        };
        if (databasePath is not null)
        {
            settings["Store:Path"] = databasePath;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var factory = new GatewayFactory(settings);
        _owned.Add(factory);
        if (register)
        {
            var registered = await factory.ClientAs(Roles.Installer).PostAsync("/api/v1/devices",
                new StringContent($$"""{"type":"pendant","deviceId":"{{Device}}"}""", Encoding.UTF8, "application/json"));
            registered.EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(() => Ingress(factory).IsSubscribed, Wait, $"gateway {clientId} to subscribe at mosquitto");
        return factory;
    }

    private static MqttExternalIngressService Ingress(GatewayFactory factory) => factory.Services.GetRequiredService<MqttExternalIngressService>();

    /// <summary>A device on mosquitto using our client with a persistent session, so its QoS 1 messages survive a broker restart.</summary>
    private async Task<MqttClient> DeviceAsync()
    {
        var device = new MqttClient(new MqttClientOptions
        {
            Port = _broker.Port,
            ClientId = Device,
            CleanStart = false,
            SessionExpirySeconds = 600,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        });
        _owned.Add(device);
        await device.ConnectAsync();
        return device;
    }

    /// <summary>Publishes events; mosquitto answers 0x10 (no matching subscribers) when no gateway session takes them.</summary>
    private static async Task PublishEventsAsync(MqttClient device, IEnumerable<int> sequences)
    {
        var results = await Task.WhenAll(sequences.Select(seq =>
            device.PublishAsync($"telecare/v1/{Device}/event", $$"""{"seq":{{seq}},"type":"pendant.press"}""", MqttQos.AtLeastOnce)));
        Assert.All(results, r => Assert.Equal(MqttReasonCode.Success, r.ReasonCode));
    }

    private async Task<MqttTestProcess> MosquittoPubAsync(string payload)
    {
        var process = MqttTestProcess.Start(_pub, ["-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5",
            "-i", Device, "-d", "-q", "1", "-t", $"telecare/v1/{Device}/event", "-m", payload]);
        _owned.Add(process);
        Assert.True(await process.WaitForExitAsync() == 0, process.Output);
        // RC:0, not RC:16 (no matching subscribers): a gateway session took the message.
        Assert.Contains("received PUBACK (Mid: 1, RC:0)", process.Output, StringComparison.Ordinal);
        return process;
    }

    private static long Stored(GatewayFactory factory, string where) =>
        factory.Scalar($"SELECT COUNT(*) FROM signals WHERE device_ref = '{Device}' AND {where}");

    private static async Task<HttpStatusCode> ReadinessAsync(GatewayFactory factory) =>
        (await factory.ClientAs(null).GetAsync("/health/ready")).StatusCode;

    [Fact]
    public async Task An_event_on_the_external_broker_is_stored_raises_a_call_and_the_device_gets_its_ack()
    {
        var gateway = await StartGatewayAsync("gw-event");
        Assert.Equal(HttpStatusCode.OK, await ReadinessAsync(gateway));
        await using var console = await gateway.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");
        var listener = MqttTestProcess.Start(_sub, ["-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5",
            "-i", $"{Device}-ack", "-t", $"telecare/v1/{Device}/ack", "-C", "1"]);
        _owned.Add(listener);
        await Eventually.TrueAsync(() => _broker.Output.Contains($"Received SUBSCRIBE from {Device}-ack", StringComparison.Ordinal), Wait, "mosquitto_sub to subscribe");

        await MosquittoPubAsync("""{"seq":17,"ts":"2026-11-22T03:12:09Z","type":"pendant.press","battery":87,"firmware":"1.2"}""");

        var call = await console.WaitForAsync("CallRaised");
        Assert.Equal(Device, call.GetProperty("deviceId").GetString());
        Assert.Equal(1, call.GetProperty("priority").GetInt32());
        Assert.Equal(1, Stored(gateway, "source = 1 AND sequence = 17 AND event_type = 'pendant.press' AND battery = 87 AND CAST(raw_frame AS TEXT) LIKE '%\"firmware\":\"1.2\"%'"));

        // The gateway's own client published the ack on the device's topic at the external broker.
        Assert.Equal(0, await listener.WaitForExitAsync());
        Assert.Contains("\"seq\":17", listener.Output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"received\"", listener.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_the_external_broker_the_device_finds_its_retained_config_and_hears_its_alarm_answered()
    {
        var gateway = await StartGatewayAsync("gw-messages");
        await using var console = await gateway.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");
        await Eventually.TrueAsync(() => _broker.Output.Split('\n').Any(l => l.Contains("Received PUBLISH from gw-messages (d0, q1, r1", StringComparison.Ordinal)
            && l.Contains($"'telecare/v1/{Device}/config'", StringComparison.Ordinal)), Wait, "the gateway to publish the retained config");

        // The device subscribes afterwards: mosquitto hands it the retained config, then the acks as they come.
        var device = MqttTestProcess.Start(_sub, ["-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5",
            "-i", $"{Device}-sub", "-q", "1", "-t", $"telecare/v1/{Device}/config", "-t", $"telecare/v1/{Device}/ack", "-F", "%r %t %p"]);
        _owned.Add(device);
        Assert.Equal($$"""1 telecare/v1/{{Device}}/config {"heartbeatSeconds":null,"testMode":false,"testModeUntil":null}""", await device.NextLineAsync(Wait));

        await MosquittoPubAsync("""{"seq":18,"type":"pendant.press"}""");
        Assert.StartsWith($$"""0 telecare/v1/{{Device}}/ack {"seq":18,"status":"received",""", await device.NextLineAsync(Wait), StringComparison.Ordinal);
        var callId = (await console.WaitForAsync("CallRaised")).GetProperty("id").GetInt64();
        await console.InvokeAsync("Claim", callId);
        Assert.StartsWith($$"""0 telecare/v1/{{Device}}/ack {"seq":18,"status":"answered","callId":{{callId}},""", await device.NextLineAsync(Wait), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_stored_as_rejected_and_the_subscription_carries_on()
    {
        var gateway = await StartGatewayAsync("gw-malformed");

        await MosquittoPubAsync("{not json");
        await Eventually.TrueAsync(() => Stored(gateway, "rejection_reason LIKE 'body:%' AND raw_frame = CAST('{not json' AS BLOB)") == 1, Wait,
            "the malformed payload to be stored as rejected");
        // Refused to mosquitto with 0x99, so it is not delivered again.
        await Eventually.TrueAsync(() => _broker.Output.Contains("Received PUBACK from gw-malformed (Mid: 1, RC:153)", StringComparison.Ordinal), Wait,
            "the gateway's PUBACK with reason 0x99");

        await MosquittoPubAsync("""{"seq":2,"type":"pendant.press"}""");
        await Eventually.TrueAsync(() => Stored(gateway, "sequence = 2 AND rejection_reason IS NULL") == 1, Wait, "the next good event");
        Assert.Equal(1, Stored(gateway, "rejection_reason IS NOT NULL"));
    }

    [Fact]
    public async Task A_message_sent_while_the_gateway_is_away_waits_in_its_session_and_is_stored_once()
    {
        var database = _shared.File("telecare.db");
        var first = await StartGatewayAsync("gw-away", database);
        _owned.Remove(first);
        await first.DisposeAsync();
        await Eventually.TrueAsync(() => _broker.Output.Contains("Client gw-away disconnected", StringComparison.Ordinal), Wait, "the gateway to leave");

        // Nobody is connected to take it: mosquitto keeps it for the gateway's session (RC:0, checked by the helper).
        await MosquittoPubAsync("""{"seq":70,"type":"pendant.press"}""");

        var second = await StartGatewayAsync("gw-away", database, register: false);
        await Eventually.TrueAsync(() => Stored(second, "sequence = 70") == 1, Wait, "the queued event to be stored");
        await Eventually.TrueAsync(() => _broker.CurrentOutput.Contains("Received PUBACK from gw-away", StringComparison.Ordinal), Wait,
            "the gateway to acknowledge the queued event");
        Assert.Equal(1, Stored(second, "sequence = 70"));
    }

    [Fact]
    public async Task A_broker_restart_with_messages_in_flight_loses_none_and_the_gateway_subscribes_again()
    {
        var gateway = await StartGatewayAsync("gw-restart");
        var device = await DeviceAsync();
        await PublishEventsAsync(device, Enumerable.Range(1, 5));
        await Eventually.TrueAsync(() => Stored(gateway, "sequence BETWEEN 1 AND 5") == 5, Wait, "the first five events");

        // Hold the commits so the next events are with the gateway but not acknowledged when mosquitto goes down.
        var writer = gateway.Services.GetRequiredService<StoreWriter>();
        using var release = new SemaphoreSlim(0);
        var blocker = writer.ExecuteAsync(_ => release.Wait(Wait));
        await PublishEventsAsync(device, Enumerable.Range(6, 5));
        await Eventually.TrueAsync(() => writer.QueueDepth >= 1, Wait, "an event to queue behind the held writer");

        await _broker.RestartAsync(async () =>
        {
            release.Release();
            await blocker;
            await Eventually.TrueAsync(() => !Ingress(gateway).IsSubscribed, Wait, "the gateway to notice the broker is gone");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadinessAsync(gateway));
        });

        await Eventually.TrueAsync(() => Ingress(gateway).IsSubscribed, Wait, "the gateway to reconnect and subscribe again");
        Assert.Equal(HttpStatusCode.OK, await ReadinessAsync(gateway));
        // What was unacknowledged came back from the restored session, marked as a resend.
        Assert.Contains("Sending PUBLISH to gw-restart (d1, q1", _broker.CurrentOutput, StringComparison.Ordinal);

        await PublishEventsAsync(device, Enumerable.Range(11, 5));
        await Eventually.TrueAsync(() => Stored(gateway, "sequence BETWEEN 1 AND 15") == 15, Wait, "all fifteen events");
        Assert.Equal(15, Stored(gateway, "1=1"));
    }

    [Fact]
    public async Task The_puback_to_the_broker_waits_for_the_durable_commit()
    {
        var gateway = await StartGatewayAsync("gw-commit");
        var writer = gateway.Services.GetRequiredService<StoreWriter>();
        using var release = new SemaphoreSlim(0);
        var blocker = writer.ExecuteAsync(_ => release.Wait(Wait));

        await MosquittoPubAsync("""{"seq":30,"type":"pendant.press"}""");
        await Eventually.TrueAsync(() => writer.QueueDepth >= 1, Wait, "the signal's write to queue behind the held writer");
        Assert.Contains("Sending PUBLISH to gw-commit (d0, q1", _broker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Received PUBACK from gw-commit", _broker.Output, StringComparison.Ordinal);
        Assert.Equal(0, Stored(gateway, "sequence = 30"));

        release.Release();
        await blocker;
        await Eventually.TrueAsync(() => _broker.Output.Contains("Received PUBACK from gw-commit (Mid: 1, RC:0)", StringComparison.Ordinal), Wait,
            "the PUBACK after the commit");
        Assert.Equal(1, Stored(gateway, "sequence = 30"));
    }

    [Fact]
    public async Task Two_gateways_share_the_device_traffic_and_each_event_is_stored_by_exactly_one()
    {
        var a = await StartGatewayAsync("gw-share-a");
        var b = await StartGatewayAsync("gw-share-b");
        var device = await DeviceAsync();

        await PublishEventsAsync(device, Enumerable.Range(1, 20));
        await Eventually.TrueAsync(() => Stored(a, "1=1") + Stored(b, "1=1") >= 20, Wait, "twenty events across both gateways");

        var inA = Sequences(a);
        var inB = Sequences(b);
        Assert.NotEmpty(inA);
        Assert.NotEmpty(inB);
        Assert.Empty(inA.Intersect(inB));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), inA.Concat(inB).Order());
    }

    [Fact]
    public async Task Over_tls_the_gateway_trusts_the_configured_ca_file()
    {
        var tls = await MqttMosquittoBroker.StartAsync(listenerOptions: folder => TestCertificateAuthority.WriteBrokerFiles(folder));
        _owned.Add(tls);
        var caFile = Path.Combine(tls.Folder, "ca.pem");
        var gateway = await StartGatewayAsync("gw-tls", broker: tls, extra: new Dictionary<string, string?>
        {
            ["Mqtt:External:UseTls"] = "true",
            ["Mqtt:External:CaFile"] = caFile,
        });

        var publish = MqttTestProcess.Start(_pub, ["-h", "localhost", "-p", tls.Port.ToString(CultureInfo.InvariantCulture), "--cafile", caFile,
            "-V", "mqttv5", "-i", Device, "-q", "1", "-t", $"telecare/v1/{Device}/event", "-m", """{"seq":5,"type":"pendant.press"}"""]);
        _owned.Add(publish);
        Assert.True(await publish.WaitForExitAsync() == 0, publish.Output);

        await Eventually.TrueAsync(() => Stored(gateway, "sequence = 5") == 1, Wait, "the event sent over TLS");
    }

    private static List<long> Sequences(GatewayFactory factory)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={factory.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sequence FROM signals WHERE device_ref = '{Device}'";
        using var reader = command.ExecuteReader();
        var sequences = new List<long>();
        while (reader.Read())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;
using Telecare.Gateway.Tests.Support;
using Telecare.Testing;

namespace Telecare.Gateway.Tests.Ingress.Mqtt;

/// <summary>Real mosquitto clients (3.1.1 and 5) against the gateway's embedded broker, with the durable store behind it.</summary>
public sealed class MqttIngressTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly string _pub = MqttTestProcess.Find("mosquitto_pub", "mosquitto-clients");
    private readonly string _sub = MqttTestProcess.Find("mosquitto_sub", "mosquitto-clients");
    private GatewayFactory _factory = null!;
    private string _port = "";
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _factory = new GatewayFactory();
        var installer = _factory.ClientAs(Roles.Installer);
        var registered = await installer.PostAsync("/api/v1/devices",
            new StringContent("""{"type":"pendant","deviceId":"mq-pendant-1"}""", Encoding.UTF8, "application/json"));
        _secret = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        _port = _factory.Services.GetRequiredService<MqttIngressService>().LocalEndPoint!.Port.ToString(CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private string[] Connect(string version, string? secret = null) =>
        ["-h", "127.0.0.1", "-p", _port, "-V", version, "-u", "mq-pendant-1", "-P", secret ?? _secret, "-i", "mq-pendant-1"];

    private async Task<MqttTestProcess> PublishAsync(string version, string topic, string payload, int qos = 1, string? secret = null, bool wait = true)
    {
        var process = MqttTestProcess.Start(_pub, [.. Connect(version, secret), "-d", "-t", topic, "-q", qos.ToString(CultureInfo.InvariantCulture), "-m", payload]);
        if (wait)
        {
            await process.WaitForExitAsync();
        }

        return process;
    }

    private long Count(string where) => _factory.Scalar($"SELECT COUNT(*) FROM signals WHERE {where}");

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task An_event_is_stored_with_its_sequence_and_raw_payload_and_a_retry_is_stored_once(string version)
    {
        var payload = """{"seq":17,"ts":"2026-11-22T03:12:09Z","type":"fall.detected","battery":87,"data":{"room":"hall"},"firmware":"1.2"}""";
        await using (var first = await PublishAsync(version, "telecare/v1/mq-pendant-1/event", payload))
        {
            Assert.True(first.ExitCode == 0, first.Output);
            Assert.Contains("received PUBACK", first.Output, StringComparison.Ordinal);
        }

        await using (var again = await PublishAsync(version, "telecare/v1/mq-pendant-1/event", payload))
        {
            Assert.True(again.ExitCode == 0, again.Output);
        }

        Assert.Equal(1, Count("source = 1 AND device_ref = 'mq-pendant-1' AND sequence = 17 AND event_type = 'fall.detected' AND battery = 87"));
        Assert.Equal(1, Count("CAST(raw_frame AS TEXT) LIKE '%\"firmware\":\"1.2\"%'"));
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_at_connect_and_nothing_is_stored()
    {
        await using var refused = await PublishAsync("mqttv5", "telecare/v1/mq-pendant-1/event", """{"seq":1,"type":"pendant.press"}""", secret: "not-the-secret");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal(0, Count("1=1"));
    }

    [Fact]
    public async Task A_device_cannot_publish_outside_its_own_prefix()
    {
        await using var outside = await PublishAsync("mqttv5", "telecare/v1/someone-else/event", """{"seq":1,"type":"pendant.press"}""");

        Assert.Equal(0, Count("1=1"));
        Assert.DoesNotContain("RC:0)", outside.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_cannot_subscribe_outside_its_own_prefix_and_hears_only_its_own_topics()
    {
        var port = int.Parse(_port, CultureInfo.InvariantCulture);
        await using var device = new Telecare.Protocols.Mqtt.MqttClient(new Telecare.Protocols.Mqtt.MqttClientOptions
        {
            Port = port, ClientId = "mq-pendant-1", Username = "mq-pendant-1", Password = _secret, AutoReconnect = false,
        });
        await device.ConnectAsync();
        var granted = await device.SubscribeAsync(
        [
            new("telecare/v1/someone-else/ack", Telecare.Protocols.Mqtt.MqttQos.AtLeastOnce),
            new("#", Telecare.Protocols.Mqtt.MqttQos.AtLeastOnce),
            new("telecare/v1/+/ack", Telecare.Protocols.Mqtt.MqttQos.AtLeastOnce),
            new("telecare/v1/mq-pendant-1/ack", Telecare.Protocols.Mqtt.MqttQos.AtLeastOnce),
        ]);
        Assert.Equal(Telecare.Protocols.Mqtt.MqttReasonCode.NotAuthorized, granted[0]);
        Assert.Equal(Telecare.Protocols.Mqtt.MqttReasonCode.NotAuthorized, granted[1]);
        Assert.Equal(Telecare.Protocols.Mqtt.MqttReasonCode.NotAuthorized, granted[2]);
        Assert.Equal(Telecare.Protocols.Mqtt.MqttReasonCode.GrantedQos1, granted[3]);
    }

    [Fact]
    public async Task Malformed_json_is_stored_as_rejected_and_answered_0x99_on_mqtt5()
    {
        await using var bad = await PublishAsync("mqttv5", "telecare/v1/mq-pendant-1/event", "{not json");

        Assert.Contains("RC:153", bad.Output, StringComparison.Ordinal);
        Assert.Equal(1, Count("device_ref = 'mq-pendant-1' AND rejection_reason LIKE 'body:%' AND raw_frame = CAST('{not json' AS BLOB)"));

        // The session and the broker carry on: the next good message is stored.
        await using var good = await PublishAsync("mqttv5", "telecare/v1/mq-pendant-1/event", """{"seq":2,"type":"pendant.press"}""");
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Equal(1, Count("sequence = 2 AND event_type = 'pendant.press'"));
    }

    [Fact]
    public async Task The_puback_waits_for_the_durable_commit()
    {
        var writer = _factory.Services.GetRequiredService<StoreWriter>();
        using var release = new SemaphoreSlim(0);
        var blocker = writer.ExecuteAsync(_ => release.Wait(Wait));

        await using var publish = await PublishAsync("mqttv5", "telecare/v1/mq-pendant-1/event", """{"seq":30,"type":"pendant.press"}""", wait: false);
        // The message has reached the sink when its write is queued behind the blocker.
        await Eventually.TrueAsync(() => writer.QueueDepth >= 1, Wait, "the signal's write to queue behind the blocked writer");
        Assert.False(publish.HasExited, "mosquitto_pub finished (got its PUBACK) before the signal was committed: " + publish.Output);
        Assert.DoesNotContain("received PUBACK", publish.Output, StringComparison.Ordinal);

        release.Release();
        await blocker;
        Assert.Equal(0, await publish.WaitForExitAsync());
        Assert.Contains("received PUBACK", publish.Output, StringComparison.Ordinal);
        Assert.Equal(1, Count("sequence = 30"));
    }

    [Fact]
    public async Task The_last_will_offline_becomes_a_device_offline_signal()
    {
        var listener = MqttTestProcess.Start(_sub, [.. Connect("mqttv5"), "-t", "telecare/v1/mq-pendant-1/ack", "-k", "5",
            "--will-topic", "telecare/v1/mq-pendant-1/status", "--will-payload", "offline", "--will-qos", "1"]);
        await Eventually.TrueAsync(() => _factory.Services.GetRequiredService<MqttIngressService>().LocalEndPoint is not null && Connected() == 1,
            Wait, "mosquitto_sub to connect");

        // Killed without a DISCONNECT: the broker publishes the will.
        await listener.DisposeAsync();
        await Eventually.TrueAsync(() => Count("device_ref = 'mq-pendant-1' AND event_type = 'device.offline'") == 1, Wait, "the will as device.offline");
    }

    [Fact]
    public async Task A_received_alarm_is_acknowledged_to_the_device_on_its_ack_topic()
    {
        await using var listener = MqttTestProcess.Start(_sub, [.. Connect("mqttv5"), "-i", "mq-pendant-1-ack", "-t", "telecare/v1/mq-pendant-1/ack", "-C", "1"]);
        await Eventually.TrueAsync(() => Connected() == 1, Wait, "mosquitto_sub to connect");
        await using var publish = await PublishAsync("mqttv5", "telecare/v1/mq-pendant-1/event", """{"seq":44,"type":"pendant.press"}""");

        Assert.Equal(0, await listener.WaitForExitAsync());
        Assert.Contains("\"seq\":44", listener.Output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"received\"", listener.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pendant_press_over_mqtt_reaches_the_dispatch_console_as_a_P1_call()
    {
        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        await using var publish = await PublishAsync("mqttv311", "telecare/v1/mq-pendant-1/event", """{"seq":50,"type":"pendant.press"}""");
        var call = await console.WaitForAsync("CallRaised");

        Assert.Equal("mq-pendant-1", call.GetProperty("deviceId").GetString());
        Assert.Equal(1, call.GetProperty("priority").GetInt32());
        Assert.Equal("pendant", call.GetProperty("deviceType").GetString());
    }

    private int Connected() => _factory.Services.GetRequiredService<MqttIngressService>().ConnectionCount;
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;
using Telecare.Testing;

namespace Telecare.Gateway.Tests.Ingress.Mqtt;

/// <summary>
/// Gateway → device over the embedded broker, seen by mosquitto_sub signed in as the device: the ack follows the call
/// (received → answered → responder on the way) as people act through the hubs, and the retained config follows the
/// device's registration, test mode and retirement, and survives a gateway restart.
/// </summary>
public sealed class MqttDeviceMessagesTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private const string Device = "mq-pendant-9";
    private readonly string _pub = MqttTestProcess.Find("mosquitto_pub", "mosquitto-clients");
    private readonly string _sub = MqttTestProcess.Find("mosquitto_sub", "mosquitto-clients");
    private readonly TempDirectory _shared = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private GatewayFactory _factory = null!;
    private HttpClient _installer = null!;
    private long _deviceRow;
    private string _secret = "";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async Task InitializeAsync()
    {
        _factory = Gateway();
        _installer = _factory.ClientAs(Roles.Installer);
        var registered = await _installer.PostAsync("/api/v1/devices", Json($$"""{"type":"pendant","deviceId":"{{Device}}","checkinIntervalSeconds":300}"""));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var body = await registered.Content.ReadFromJsonAsync<JsonElement>();
        _secret = body.GetProperty("secret").GetString()!;
        _deviceRow = body.GetProperty("device").GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _factory.DisposeAsync();
        _shared.Dispose();
    }

    /// <summary>On a database file that outlives the gateway, so a test can start another on it.</summary>
    private GatewayFactory Gateway() => new(new Dictionary<string, string?> { ["Store:Path"] = _shared.File("telecare.db") });

    private string Port => _factory.Services.GetRequiredService<MqttIngressService>().LocalEndPoint!.Port.ToString(CultureInfo.InvariantCulture);

    private string[] SignIn(string clientId) =>
        ["-h", "127.0.0.1", "-p", Port, "-V", "mqttv5", "-u", Device, "-P", _secret, "-i", clientId];

    /// <summary>
    /// mosquitto_sub as the device on its config (and ack) topic, printing "MSG {retained flag} {topic} {payload}" per
    /// message. Its stdout is block-buffered, so the retained config arriving (and flushing) is how the test knows the
    /// subscription is in place; it is returned.
    /// </summary>
    private async Task<(MqttTestProcess Sub, Message Config)> SubscribeAsync(bool acks = false)
    {
        var sub = MqttTestProcess.Start(_sub, [.. SignIn($"{Device}-sub"), "-q", "1", "-t", $"telecare/v1/{Device}/config",
            .. acks ? ["-t", $"telecare/v1/{Device}/ack"] : Array.Empty<string>(), "-F", "MSG %r %t %p"]);
        _owned.Add(sub);
        var config = await NextMessageAsync(sub);
        Assert.Equal("config", config.Kind);
        return (sub, config);
    }

    private sealed record Message(bool Retained, string Kind, string Payload)
    {
        public JsonElement Json => JsonDocument.Parse(Payload).RootElement;
    }

    /// <summary>The next message: its retained flag, topic kind (ack, config) and payload.</summary>
    private static async Task<Message> NextMessageAsync(MqttTestProcess sub)
    {
        while (true)
        {
            var line = await sub.NextLineAsync(Wait);
            if (line.StartsWith("MSG ", StringComparison.Ordinal))
            {
                var topicEnd = line.IndexOf(' ', 6);
                var kind = line[6..topicEnd][(line[6..topicEnd].LastIndexOf('/') + 1)..];
                return new Message(line[4] == '1', kind, line[(topicEnd + 1)..]);
            }
        }
    }

    private static async Task<JsonElement> NextJsonAsync(MqttTestProcess sub) => (await NextMessageAsync(sub)).Json;

    private static async Task<JsonElement> NextAckAsync(MqttTestProcess sub)
    {
        var message = await NextMessageAsync(sub);
        Assert.Equal("ack", message.Kind);
        return message.Json;
    }

    private async Task<(long Id, string Cookie)> ResponderAsync()
    {
        var admin = _factory.ClientAs(Roles.Admin);
        var zone = await Id(await admin.PostAsync("/api/v1/zones", Json("""{"name":"Devizes","attendanceTargetMinutes":45}""")));
        var user = await Id(await admin.PostAsync("/api/v1/users", Json("""{"username":"rita","role":"responder","password":"rita-night-shift"}""")));
        var id = await Id(await _installer.PostAsync("/api/v1/responders", Json($$"""{"name":"Rita","zoneId":{{zone}},"onDuty":true,"userId":{{user}}}""")));
        return (id, await _factory.SignInAsync("rita", "rita-night-shift"));
    }

    private static async Task<long> Id(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task The_device_hears_its_alarm_received_answered_and_a_responder_on_the_way_in_that_order()
    {
        var (rita, cookie) = await ResponderAsync();
        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await using var responder = await _factory.HubAsync("/hubs/responder", cookie: cookie);
        await console.WaitForAsync("Snapshot");
        var (acks, _) = await SubscribeAsync(acks: true);

        await PressAsync(61);
        var received = await NextAckAsync(acks);
        Assert.Equal("received", received.GetProperty("status").GetString());
        Assert.Equal(61, received.GetProperty("seq").GetInt64());

        var callId = (await console.WaitForAsync("CallRaised")).GetProperty("id").GetInt64();
        await console.InvokeAsync("Claim", callId);
        var answered = await NextAckAsync(acks);
        Assert.Equal("answered", answered.GetProperty("status").GetString());
        Assert.Equal(callId, answered.GetProperty("callId").GetInt64());
        Assert.Equal(61, answered.GetProperty("seq").GetInt64());

        await console.InvokeAsync("AssignResponder", callId, rita);
        var assignment = (await responder.WaitForAsync("AssignmentOffered")).GetProperty("id").GetInt64();
        await responder.InvokeAsync("Accept", assignment);
        await responder.InvokeAsync("EnRoute", assignment);
        var onTheWay = await NextAckAsync(acks);
        Assert.Equal("responder-on-the-way", onTheWay.GetProperty("status").GetString());
        Assert.Equal(callId, onTheWay.GetProperty("callId").GetInt64());
        Assert.True(DateTimeOffset.Parse(onTheWay.GetProperty("at").GetString()!, CultureInfo.InvariantCulture) >= DateTimeOffset.Parse(answered.GetProperty("at").GetString()!, CultureInfo.InvariantCulture));

        // Nothing more until the next alarm: its "answered" goes through the same ordered queue as any stray message would.
        await responder.InvokeAsync("Arrived", assignment);
        await responder.InvokeAsync("Complete", assignment, "lifted-no-injury");
        await console.InvokeAsync("Close", callId);
        await PressAsync(62);
        var next = (await console.WaitForAsync("CallRaised", c => c.GetProperty("id").GetInt64() != callId)).GetProperty("id").GetInt64();
        await console.InvokeAsync("Claim", next);
        var later = new[] { await NextAckAsync(acks), await NextAckAsync(acks) };
        Assert.Equal(["received:62:", $"answered:62:{next}"], later.Select(a =>
            $"{a.GetProperty("status").GetString()}:{a.GetProperty("seq").GetInt64()}:{(a.TryGetProperty("callId", out var c) ? c.GetInt64() : null)}"));
    }

    private async Task PressAsync(int seq)
    {
        var publish = MqttTestProcess.Start(_pub, [.. SignIn(Device), "-q", "1", "-t", $"telecare/v1/{Device}/event", "-m", $$"""{"seq":{{seq}},"type":"pendant.press"}"""]);
        _owned.Add(publish);
        Assert.True(await publish.WaitForExitAsync() == 0, publish.Output);
    }

    [Fact]
    public async Task A_device_subscribing_after_registration_gets_its_retained_config_and_each_change_to_it()
    {
        var (configs, first) = await SubscribeAsync();
        Assert.True(first.Retained, "the config should come from the broker's retained store");
        Assert.Equal("""{"heartbeatSeconds":300,"testMode":false,"testModeUntil":null}""", first.Payload);

        var testMode = await _installer.PutAsync($"/api/v1/devices/{_deviceRow}/test-mode", Json("""{"enabled":true,"minutes":30}"""));
        Assert.True(testMode.IsSuccessStatusCode, await testMode.Content.ReadAsStringAsync());
        var inTest = await NextJsonAsync(configs);
        Assert.True(inTest.GetProperty("testMode").GetBoolean());
        var until = (await testMode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("testModeUntil").GetDateTimeOffset();
        Assert.Equal(until, inTest.GetProperty("testModeUntil").GetDateTimeOffset());

        await _installer.PutAsync($"/api/v1/devices/{_deviceRow}", Json("""{"checkinIntervalSeconds":900}"""));
        var slower = await NextJsonAsync(configs);
        Assert.Equal(900, slower.GetProperty("heartbeatSeconds").GetInt32());
        Assert.True(slower.GetProperty("testMode").GetBoolean());

        await _installer.PutAsync($"/api/v1/devices/{_deviceRow}/test-mode", Json("""{"enabled":false}"""));
        Assert.False((await NextJsonAsync(configs)).GetProperty("testMode").GetBoolean());
        Assert.DoesNotContain(_secret, configs.Output, StringComparison.Ordinal);

        // Retiring removes it from the broker: an empty retained message.
        await _installer.PostAsync($"/api/v1/devices/{_deviceRow}/retire", null);
        Assert.Equal(new Message(false, "config", ""), await NextMessageAsync(configs));
    }

    [Fact]
    public async Task A_restarted_gateway_publishes_the_configs_again_to_its_new_broker()
    {
        await _factory.DisposeAsync();
        _factory = Gateway();
        _ = _factory.Services;

        var (_, config) = await SubscribeAsync();
        Assert.True(config.Retained, "the config should come from the new broker's retained store");
        Assert.Equal(300, config.Json.GetProperty("heartbeatSeconds").GetInt32());
    }

    [Fact]
    public async Task A_device_cannot_write_its_own_config()
    {
        var (configs, _) = await SubscribeAsync();

        var forged = MqttTestProcess.Start(_pub, [.. SignIn(Device), "-d", "-q", "1", "-r", "-t", $"telecare/v1/{Device}/config", "-m", """{"heartbeatSeconds":1}"""]);
        _owned.Add(forged);
        await forged.WaitForExitAsync();

        Assert.Contains("RC:135", forged.Output, StringComparison.Ordinal);
        // The gateway's next config is the next message: the forged one was never routed.
        await _installer.PutAsync($"/api/v1/devices/{_deviceRow}", Json("""{"checkinIntervalSeconds":600}"""));
        Assert.Equal(600, (await NextJsonAsync(configs)).GetProperty("heartbeatSeconds").GetInt32());
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Core.Signals;
using Telecare.Gateway.Health;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Signals;
using Telecare.Gateway.Tests.Support;
using Telecare.Protocols.Mqtt;
using Telecare.Testing;

namespace Telecare.Gateway.Tests.Durability;

/// <summary>
/// The disk under the store stops taking writes (the WAL made immutable with chattr: the kernel refuses the writes,
/// root included) and later comes back. Nothing may be acknowledged that is not stored; people must be told; and
/// ingest must come back by itself, with what the sources held and sent again stored once.
/// </summary>
public sealed class StoreFailureTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static bool StoreAlert(JsonElement alert, bool cleared) =>
        alert.GetProperty("code").GetString() == StoreHealthMonitor.AlertCode && alert.GetProperty("cleared").GetBoolean() == cleared;

    private static bool StallAlert(JsonElement alert, bool cleared) =>
        alert.GetProperty("code").GetString() == StoreHealthMonitor.StallAlertCode && alert.GetProperty("cleared").GetBoolean() == cleared;

    private static async Task<(string DeviceId, string Secret)> RegisterPendantAsync(GatewayFactory factory, string deviceId)
    {
        var installer = factory.ClientAs(Roles.Installer);
        var resident = await installer.PostAsync("/api/v1/residents", Json("""{"firstName":"Ada","lastName":"Store","address":"1 Disk Lane"}"""));
        var residentId = (await resident.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var registered = await installer.PostAsync("/api/v1/devices", Json($$"""{"type":"pendant","deviceId":"{{deviceId}}","residentId":{{residentId}}}"""));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (deviceId, (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
    }

    private static MqttClient Device(GatewayFactory factory, string deviceId, string secret, List<string> log) => new(new MqttClientOptions
    {
        Port = factory.Services.GetRequiredService<MqttIngressService>().LocalEndPoint!.Port,
        ClientId = deviceId,
        Username = deviceId,
        Password = secret,
        ProtocolVersion = MqttProtocolVersion.V500,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        Log = line =>
        {
            lock (log)
            {
                log.Add(line);
            }
        },
    });

    [Fact]
    public async Task While_the_store_cannot_commit_nothing_is_acknowledged_readiness_is_false_and_consoles_are_alerted_then_ingest_resumes_by_itself()
    {
        await using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Store:HealthProbeSeconds"] = "3600" });
        var (deviceId, secret) = await RegisterPendantAsync(factory, "disk-pendant");
        var ingest = factory.ClientAs(Roles.Installer);
        var anonymous = factory.ClientAs(null);
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");
        var deviceLog = new List<string>();
        await using var device = Device(factory, deviceId, secret, deviceLog);
        await device.ConnectAsync();
        Assert.Equal(MqttReasonCode.Success, (await device.PublishAsync(MqttDeviceTopics.Prefix(deviceId) + "event", """{"seq":1,"type":"device.test"}""")).ReasonCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);

        Task<MqttPublishResult> held;
        using (var disk = ImmutableFile.Make(factory.DatabasePath + "-wal"))
        {
            // HTTP: 503 with Retry-After, not 202, and nothing stored.
            var refused = await ingest.PostAsync("/api/v1/signals", Json("""{"deviceId":"disk-pendant","seq":2,"type":"pendant.press"}"""));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter is not null, "a 503 without Retry-After");

            // MQTT (QoS 1): no PUBACK; the device is told why (MQTT 5) and keeps the message to send again.
            held = device.PublishAsync(MqttDeviceTopics.Prefix(deviceId) + "event", """{"seq":3,"type":"pendant.press"}""");
            await Eventually.TrueAsync(() => Logged(deviceLog, "ServerBusy"), Wait, "the gateway to close the device's connection as busy");
            Assert.False(held.IsCompleted, "the device got an acknowledgement for a message that was not stored");

            // Readiness names the store.
            var ready = await anonymous.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var checks = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
            Assert.Equal("Unhealthy", checks.GetProperty("store").GetProperty("status").GetString());

            // Consoles: a critical alert, and a console that connects now finds it in its snapshot.
            var alert = await console.WaitForAsync("SystemAlert", a => StoreAlert(a, cleared: false));
            Assert.Equal("critical", alert.GetProperty("severity").GetString());
            await using var late = await factory.HubAsync("/hubs/dispatch", Roles.Supervisor);
            var snapshot = await late.WaitForAsync("Snapshot");
            Assert.Contains(snapshot.GetProperty("alerts").EnumerateArray(), a => StoreAlert(a, cleared: false));

            Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM signals WHERE sequence IN (2, 3)"));
            Assert.Equal(0, console.Count("CallRaised"));
        }

        // The disk takes writes again. Nobody restarts anything and no source has to send first: the alert clears.
        await console.WaitForAsync("SystemAlert", a => StoreAlert(a, cleared: true));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);

        // The device's held message goes through on its own; the HTTP source retries, twice.
        Assert.Equal(MqttReasonCode.Success, (await held.WaitAsync(Wait)).ReasonCode);
        Assert.Equal(HttpStatusCode.Accepted, (await ingest.PostAsync("/api/v1/signals", Json("""{"deviceId":"disk-pendant","seq":2,"type":"pendant.press"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ingest.PostAsync("/api/v1/signals", Json("""{"deviceId":"disk-pendant","seq":2,"type":"pendant.press"}"""))).StatusCode);

        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM signals WHERE sequence = 2"));
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM signals WHERE sequence = 3"));
        var call = await console.WaitForAsync("CallRaised");
        Assert.Equal(deviceId, call.GetProperty("deviceId").GetString());
        await Eventually.TrueAsync(() => factory.Scalar("SELECT COUNT(*) FROM signals WHERE triaged = 0") == 0, Wait, "triage to catch up");
        // Both presses belong to the one call: one alarm, not two.
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM calls"));
        Assert.Equal(1, console.Count("CallRaised"));
    }

    [Fact]
    public async Task A_commit_that_does_not_end_is_told_to_consoles_as_a_stall_nothing_is_acknowledged_meanwhile_and_the_alert_clears_when_it_ends()
    {
        await using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Store:StallAlertSeconds"] = "1",
            ["Store:HealthProbeSeconds"] = "3600",
        });
        var ingest = factory.ClientAs(Roles.Installer);
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        Task<HttpResponseMessage> posted;
        using (StoreFile.HoldWriteLock(factory.DatabasePath))
        {
            // Another program holds SQLite's write lock, as a disk that hangs would hold the fsync: nothing fails,
            // the commit just does not end (the writer waits out its busy timeout).
            posted = ingest.PostAsync("/api/v1/signals", Json("""{"deviceId":"stall-pendant","seq":1,"type":"pendant.press"}"""));
            var alert = await console.WaitForAsync("SystemAlert", a => StallAlert(a, cleared: false), Wait);
            Assert.Equal("critical", alert.GetProperty("severity").GetString());
            Assert.Contains("has not finished", alert.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.False(posted.IsCompleted, "a signal was acknowledged while its commit could not end");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await factory.ClientAs(null).GetAsync("/health/ready")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await posted).StatusCode);
        await console.WaitForAsync("SystemAlert", a => StallAlert(a, cleared: true), Wait);
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM signals WHERE device_ref = 'stall-pendant'"));
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs(null).GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_signal_and_its_call_are_one_commit_so_a_failing_disk_stores_neither_and_the_retry_stores_both()
    {
        await using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Store:HealthProbeSeconds"] = "3600" });
        await RegisterPendantAsync(factory, "triage-pendant");
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");
        var ingest = factory.ClientAs(Roles.Installer);
        const string Fall = """{"deviceId":"triage-pendant","seq":7,"type":"fall.detected"}""";

        using (var disk = ImmutableFile.Make(factory.DatabasePath + "-wal"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ingest.PostAsync("/api/v1/signals", Json(Fall))).StatusCode);
            await console.WaitForAsync("SystemAlert", a => StoreAlert(a, cleared: false), Wait);
        }

        Assert.Equal(0, console.Count("CallRaised"));
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM calls"));
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM signals WHERE device_ref = 'triage-pendant'"));

        // The source sends again until it is acknowledged, as a device does (the writer may still be reopening the
        // file for a moment): the signal, its triage and its call land together, once.
        var deadline = DateTime.UtcNow + Wait;
        HttpStatusCode status;
        while ((status = (await ingest.PostAsync("/api/v1/signals", Json(Fall))).StatusCode) == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Accepted, status);
        var call = await console.WaitForAsync("CallRaised");
        Assert.Equal("fall.detected", call.GetProperty("eventType").GetString());
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM calls"));
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM signals WHERE device_ref = 'triage-pendant' AND triaged = 1 AND call_id IS NOT NULL"));
        await console.WaitForAsync("SystemAlert", a => StoreAlert(a, cleared: true), Wait);
        Assert.Equal(1, console.Count("CallRaised"));
    }

    private static bool Logged(List<string> log, string text)
    {
        lock (log)
        {
            return log.Exists(l => l.Contains(text, StringComparison.Ordinal));
        }
    }
}

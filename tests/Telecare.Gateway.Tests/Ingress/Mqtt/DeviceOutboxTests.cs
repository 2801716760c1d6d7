using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Ingress.Mqtt;

/// <summary>
/// The gateway → device outbox with a notifier the test holds shut or makes fail: a claim never waits for the device,
/// a failed publish stops nothing, and serial receiver accounts are never sent anything.
/// </summary>
public sealed class DeviceOutboxTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly HeldNotifier _notifier = new();
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, long> _rows = [];
    private GatewayFactory _factory = null!;
    private HttpClient _installer = null!;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async Task InitializeAsync()
    {
        _factory = new GatewayFactory
        {
            TestServices = services =>
            {
                services.AddSingleton<IDeviceNotifier>(_notifier);
                services.AddSingleton<TimeProvider>(_clock);
            },
        };
        _installer = _factory.ClientAs(Roles.Installer);
        foreach (var device in new[] { """{"type":"receiver-account","receiverId":"rx1","account":"1234"}""", """{"type":"pendant","deviceId":"mq-held-1"}""", """{"type":"pendant","deviceId":"mq-held-2"}""" })
        {
            var registered = await _installer.PostAsync("/api/v1/devices", Json(device));
            Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            var view = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("device");
            _rows[view.GetProperty("deviceId").GetString()!] = view.GetProperty("id").GetInt64();
        }
    }

    public async Task DisposeAsync()
    {
        _notifier.Open();
        await _factory.DisposeAsync();
    }

    private async Task<long> RaiseAsync(HubClient console, string deviceId)
    {
        var accepted = await _installer.PostAsync("/api/v1/signals", Json($$"""{"deviceId":"{{deviceId}}","seq":1,"type":"pendant.press"}"""));
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        return (await console.WaitForAsync("CallRaised", c => c.GetProperty("deviceId").GetString() == deviceId)).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task A_claim_never_waits_for_the_device_a_failed_ack_stops_nothing_and_receiver_accounts_get_none()
    {
        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        await console.InvokeAsync("Claim", await RaiseAsync(console, "rx1/1234"));
        var held = await RaiseAsync(console, "mq-held-1");
        await console.InvokeAsync("Claim", held);
        // The ack is stuck in the notifier, yet the claim returned and the call takes its next action.
        await Eventually.TrueAsync(() => _notifier.Acks.Count == 1, Wait, "the outbox to try the first ack");
        await console.InvokeAsync("AddNote", held, "talking to her now");
        Assert.Equal(held, (await console.WaitForAsync("CallUpdated", c => c.GetProperty("version").GetInt32() == 3)).GetProperty("id").GetInt64());

        // The broker refuses it: logged, and the next device's ack still goes.
        _notifier.Fail = true;
        _notifier.Open();
        await Eventually.TrueAsync(() => _notifier.Failures == 1, Wait, "the first ack to fail");
        _notifier.Fail = false;
        await console.InvokeAsync("Claim", await RaiseAsync(console, "mq-held-2"));
        await Eventually.TrueAsync(() => _notifier.Acks.Count == 2, Wait, "the second device's ack");

        // The receiver account's claim came first: had it been queued, it would have been tried first.
        Assert.Equal(["mq-held-1", "mq-held-2"], _notifier.Acks.Select(a => a.DeviceId));
        Assert.All(_notifier.Acks, a => Assert.Equal("answered", JsonDocument.Parse(a.Payload).RootElement.GetProperty("status").GetString()));
        Assert.DoesNotContain(_notifier.Configs, c => c.DeviceId == "rx1/1234");
        Assert.Contains(_notifier.Configs, c => c.DeviceId == "mq-held-2");
    }

    [Fact]
    public async Task When_test_mode_runs_out_the_config_is_published_again_to_say_so()
    {
        var response = await _installer.PutAsync($"/api/v1/devices/{_rows["mq-held-1"]}/test-mode", Json("""{"enabled":true,"minutes":1}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(() => LastConfig("mq-held-1")?.Contains("\"testMode\":true", StringComparison.Ordinal) == true, Wait, "the test-mode config");

        // Nobody touches the device again: only the clock passing the end republishes it.
        await _clock.AdvanceUntilAsync(() => LastConfig("mq-held-1")?.Contains("\"testMode\":false", StringComparison.Ordinal) == true,
            TimeSpan.FromMinutes(2), "the config after test mode ran out", stepSeconds: 5);
        Assert.True(_clock.GetUtcNow() >= (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("testModeUntil").GetDateTimeOffset());
    }

    private string? LastConfig(string deviceId) => _notifier.Configs.LastOrDefault(c => c.DeviceId == deviceId).Payload;

    /// <summary>Records what the outbox tries to send; acks wait until the test opens the gate, then succeed or throw.</summary>
    private sealed class HeldNotifier : IDeviceNotifier
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _failures;

        public ConcurrentQueue<(string DeviceId, string Payload)> Acks { get; } = new();

        public ConcurrentQueue<(string DeviceId, string Payload)> Configs { get; } = new();

        public bool Fail { get; set; }

        public int Failures => Volatile.Read(ref _failures);

        public void Open() => _gate.TrySetResult();

        public async Task PublishAckAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
        {
            Acks.Enqueue((deviceId, Encoding.UTF8.GetString(payload.Span)));
            await _gate.Task.WaitAsync(cancellationToken);
            if (Fail)
            {
                Interlocked.Increment(ref _failures);
                throw new InvalidOperationException("the broker refused the ack (test)");
            }
        }

        public Task PublishConfigAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
        {
            Configs.Enqueue((deviceId, Encoding.UTF8.GetString(payload.Span)));
            return Task.CompletedTask;
        }
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hubs;

/// <summary>Answer targets and missed check-ins, driven by a manual clock inside the real host (no sleeping).</summary>
public sealed class TimerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 2, 10, 0, TimeSpan.Zero);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>
    /// Moves the clock a second at a time until the condition holds. The timer loop may register its next wait just
    /// after a jump, so time is moved in steps, as it passes in life, and each step gives the loop a moment.
    /// </summary>
    private static async Task AdvanceUntilAsync(ManualTimeProvider clock, Func<bool> condition, TimeSpan limit, string what, int stepSeconds = 1)
    {
        var until = clock.GetUtcNow() + limit;
        while (!condition())
        {
            if (clock.GetUtcNow() >= until)
            {
                throw new TimeoutException($"{what} did not happen within {limit} of clock time");
            }

            clock.Advance(TimeSpan.FromSeconds(stepSeconds));
            var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(25);
            while (!condition() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
        }
    }

    [Fact]
    public async Task An_unanswered_call_breaches_the_warn_then_the_escalate_target_and_a_silent_device_raises_one_offline_ticket()
    {
        var clock = new ManualTimeProvider(Start);
        await using var factory = new GatewayFactory { TestServices = services => services.AddSingleton<TimeProvider>(clock) };
        var installer = factory.ClientAs(Roles.Installer);
        await installer.PostAsync("/api/v1/devices", Json("""{"type":"pendant","deviceId":"quiet-pendant","checkinIntervalSeconds":600}"""));
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        await installer.PostAsync("/api/v1/signals", Json("""{"deviceId":"quiet-pendant","seq":1,"type":"pendant.press"}"""));
        var callId = (await console.WaitForAsync("CallRaised")).GetProperty("id").GetInt64();

        bool Breached(string target) => console.Count("TargetBreached", b => b.GetProperty("target").GetString() == target) > 0;
        await AdvanceUntilAsync(clock, () => Breached("answer-warn"), TimeSpan.FromMinutes(5), "the answer warning");
        Assert.InRange(clock.GetUtcNow() - Start, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(62));
        Assert.False(Breached("answer-escalate"));
        var warn = await console.WaitForAsync("TargetBreached");
        Assert.Equal(callId, warn.GetProperty("callId").GetInt64());

        await AdvanceUntilAsync(clock, () => Breached("answer-escalate"), TimeSpan.FromMinutes(5), "the escalation");
        Assert.InRange(clock.GetUtcNow() - Start, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(182));

        // 600 s interval + 30 s tolerance after the press (its last check-in): the device is reported offline once.
        await AdvanceUntilAsync(clock, () => console.Count("TicketRaised") > 0, TimeSpan.FromMinutes(15), "the offline ticket", stepSeconds: 10);
        Assert.InRange(clock.GetUtcNow() - Start, TimeSpan.FromSeconds(630), TimeSpan.FromSeconds(651));
        var ticket = await console.WaitForAsync("TicketRaised");
        Assert.Equal("device.offline", ticket.GetProperty("eventType").GetString());
        Assert.Equal("quiet-pendant", ticket.GetProperty("deviceId").GetString());

        for (var i = 0; i < 20; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(60));
            await Task.Yield();
        }

        await Eventually.TrueAsync(() => factory.Scalar("SELECT COUNT(*) FROM signals WHERE triaged = 0") == 0, TimeSpan.FromSeconds(10), "triage to catch up");
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM signals WHERE event_type = 'device.offline' AND source = 4"));

        var timeline = await factory.ClientAs(Roles.Handler).GetFromJsonAsync<JsonElement[]>($"/api/v1/calls/{callId}/timeline");
        Assert.Equal(2, timeline!.Count(e => e.GetProperty("action").GetString() == "RecordBreach"));
    }
}

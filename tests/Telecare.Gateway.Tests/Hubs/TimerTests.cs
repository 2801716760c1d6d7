using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hubs;

/// <summary>Answer targets and missed check-ins, driven by a manual clock inside the real host (no sleeping).</summary>
public sealed class TimerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 2, 10, 0, TimeSpan.Zero);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

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
        var raised = await console.WaitForAsync("CallRaised");
        var callId = raised.GetProperty("id").GetInt64();
        var raisedAt = raised.GetProperty("raisedAt").GetDateTimeOffset();

        bool Breached(string target) => console.Count("TargetBreached", b => b.GetProperty("target").GetString() == target) > 0;
        // The breach carries its due time; the clock when the console sees it only shows it was never early (how
        // late the console hears it depends on the machine's load, so that is not asserted to the second).
        await clock.AdvanceUntilAsync(() => Breached("answer-warn"), TimeSpan.FromMinutes(5), "the answer warning");
        var warn = await console.WaitForAsync("TargetBreached", b => b.GetProperty("target").GetString() == "answer-warn");
        Assert.Equal(callId, warn.GetProperty("callId").GetInt64());
        var warnAt = warn.GetProperty("at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromSeconds(60), warnAt - raisedAt);
        Assert.True(clock.GetUtcNow() >= warnAt, "the warning came before it was due");
        Assert.True(clock.GetUtcNow() < raisedAt + TimeSpan.FromSeconds(180), "the warning only came at escalation time");
        Assert.False(Breached("answer-escalate"));

        await clock.AdvanceUntilAsync(() => Breached("answer-escalate"), TimeSpan.FromMinutes(5), "the escalation");
        var escalate = await console.WaitForAsync("TargetBreached", b => b.GetProperty("target").GetString() == "answer-escalate");
        var escalateAt = escalate.GetProperty("at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromSeconds(180), escalateAt - raisedAt);
        Assert.True(clock.GetUtcNow() >= escalateAt, "the escalation came before it was due");

        // 600 s interval + 30 s tolerance after the press (its last check-in): the device is reported offline once.
        await clock.AdvanceUntilAsync(() => console.Count("TicketRaised") > 0, TimeSpan.FromMinutes(15), "the offline ticket", stepSeconds: 10);
        Assert.True(clock.GetUtcNow() - raisedAt >= TimeSpan.FromSeconds(630), "the device was reported offline before its interval and tolerance ran out");
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

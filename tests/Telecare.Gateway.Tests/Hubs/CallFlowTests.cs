using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hubs;

/// <summary>
/// A night's call end to end through the real hubs: signal → CallRaised on two consoles → one claim wins → responder
/// assigned, accepts, travels, arrives, completes, leaves → closed; the timeline and the KPI report show every step.
/// </summary>
public sealed class CallFlowTests : IAsyncLifetime
{
    private GatewayFactory _factory = null!;
    private HttpClient _admin = null!;
    private HttpClient _installer = null!;
    private long _resident;
    private long _rita;
    private long _rob;
    private string _ritaCookie = "";
    private string _robCookie = "";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async Task InitializeAsync()
    {
        _factory = new GatewayFactory();
        _admin = _factory.ClientAs(Roles.Admin);
        _installer = _factory.ClientAs(Roles.Installer);
        var zone = await Id(await _admin.PostAsync("/api/v1/zones", Json("""{"name":"Salisbury","attendanceTargetMinutes":45}""")));
        _resident = await Id(await _installer.PostAsync("/api/v1/residents", Json($$"""
            {"firstName":"Edith","lastName":"Hawkins","address":"4 Castle Street","postcode":"SP1 1AA","zoneId":{{zone}},
             "flags":["falls-risk"],"accessDetails":"Key safe 4417"}
            """)));
        foreach (var (device, type) in new[] { ("pendant-77", "pendant"), ("fall-77", "fall-detector") })
        {
            await _installer.PostAsync("/api/v1/devices", Json($$"""{"type":"{{type}}","deviceId":"{{device}}","residentId":{{_resident}}}"""));
        }

        (_rita, _ritaCookie) = await Responder("rita", zone);
        (_rob, _robCookie) = await Responder("rob", zone);
    }

    private async Task<(long Id, string Cookie)> Responder(string name, long zone)
    {
        var user = await Id(await _admin.PostAsync("/api/v1/users", Json($$"""{"username":"{{name}}","role":"responder","password":"{{name}}-night-shift"}""")));
        var id = await Id(await _installer.PostAsync("/api/v1/responders", Json($$"""{"name":"{{name}}","zoneId":{{zone}},"onDuty":true,"userId":{{user}}}""")));
        return (id, await _factory.SignInAsync(name, $"{name}-night-shift"));
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static async Task<long> Id(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("id", out var id) ? id.GetInt64() : body.GetProperty("device").GetProperty("id").GetInt64();
    }

    private Task<HttpResponseMessage> Signal(string device, int seq, string type, bool restore = false) =>
        _installer.PostAsync("/api/v1/signals", Json($$"""{"deviceId":"{{device}}","seq":{{seq}},"type":"{{type}}","restore":{{(restore ? "true" : "false")}}}"""));

    [Fact]
    public async Task A_pendant_press_is_answered_attended_and_closed_with_every_step_on_the_timeline()
    {
        await using var console1 = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await using var console2 = await _factory.HubAsync("/hubs/dispatch", Roles.Supervisor);
        await using var rita = await _factory.HubAsync("/hubs/responder", cookie: _ritaCookie);
        await using var rob = await _factory.HubAsync("/hubs/responder", cookie: _robCookie);
        await console1.WaitForAsync("Snapshot");
        await rita.WaitForAsync("Snapshot");

        Assert.Equal(HttpStatusCode.Accepted, (await Signal("pendant-77", 1, "pendant.press")).StatusCode);
        var raised1 = await console1.WaitForAsync("CallRaised");
        var raised2 = await console2.WaitForAsync("CallRaised");
        var callId = raised1.GetProperty("id").GetInt64();
        Assert.Equal(callId, raised2.GetProperty("id").GetInt64());
        Assert.Equal(1, raised1.GetProperty("priority").GetInt32());
        Assert.Equal("Edith Hawkins", raised1.GetProperty("residentName").GetString());
        Assert.Equal("Salisbury", raised1.GetProperty("zoneName").GetString());
        Assert.Equal("personal-alarm", raised1.GetProperty("rule").GetString());

        // Two handlers claim at the same moment: exactly one wins, the other is told why.
        var claims = new[] { console1.InvokeAsync("Claim", callId), console2.InvokeAsync("Claim", callId) };
        var outcomes = await Task.WhenAll(claims.Select(async c => { try { await c; return "won"; } catch (HubInvocationException e) { return e.Message; } }));
        Assert.Single(outcomes, o => o == "won");
        Assert.Contains(outcomes, o => o.Contains("already answered", StringComparison.OrdinalIgnoreCase) || o.Contains("changed at the same moment", StringComparison.OrdinalIgnoreCase) || o.Contains("not allowed", StringComparison.OrdinalIgnoreCase));
        var winner = outcomes[0] == "won" ? console1 : console2;
        await console2.WaitForAsync("CallUpdated", c => c.GetProperty("id").GetInt64() == callId && c.GetProperty("state").GetString() == "Answered");

        await winner.InvokeAsync("AddNote", callId, "On the floor in the hall, conscious");
        await winner.InvokeAsync("AssignResponder", callId, _rita);
        var offer = await rita.WaitForAsync("AssignmentOffered");
        var assignment = offer.GetProperty("id").GetInt64();
        Assert.Equal(callId, offer.GetProperty("callId").GetInt64());
        Assert.Equal("Key safe 4417", offer.GetProperty("accessDetails").GetString());
        Assert.Contains("On the floor in the hall, conscious", offer.GetProperty("handlerNotes").EnumerateArray().Select(n => n.GetString()));

        foreach (var step in new[] { "Accept", "EnRoute", "Arrived" })
        {
            await rita.InvokeAsync(step, assignment);
        }

        await rita.InvokeAsync("Complete", assignment, "lifted-no-injury");
        var left = await rita.InvokeAsync<JsonElement>("Left", assignment);
        Assert.NotEqual(JsonValueKind.Null, left.GetProperty("leftAt").ValueKind);
        await console1.WaitForAsync("CallUpdated", c => c.GetProperty("id").GetInt64() == callId && c.GetProperty("state").GetString() == "Resolved");
        await winner.InvokeAsync("Close", callId);
        await console1.WaitForAsync("CallClosed", c => c.GetProperty("id").GetInt64() == callId);
        await console2.WaitForAsync("CallClosed", c => c.GetProperty("id").GetInt64() == callId);

        // Rob never saw Rita's assignment.
        Assert.Equal(0, rob.Count("AssignmentOffered") + rob.Count("AssignmentUpdated"));

        var handler = _factory.ClientAs(Roles.Handler);
        var timeline = await handler.GetFromJsonAsync<JsonElement[]>($"/api/v1/calls/{callId}/timeline");
        Assert.Equal(
            ["Raise", "Answer", "AddNote", "AssignResponder", "Accept", "EnRoute", "Arrive", "Resolve", "Leave", "Close"],
            timeline!.Select(e => e.GetProperty("action").GetString()!).ToArray());
        Assert.All(timeline!, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("actor").GetString())));
        Assert.Equal($"Responder:{_rita}", timeline![4].GetProperty("actor").GetString());

        var supervisor = _factory.ClientAs(Roles.Supervisor);
        var kpi = await supervisor.GetFromJsonAsync<JsonElement>("/api/v1/reports/kpi");
        Assert.Equal(1, kpi.GetProperty("calls").GetInt32());
        Assert.Equal(1, kpi.GetProperty("answered").GetInt32());
        Assert.Equal(1, kpi.GetProperty("attendances").GetInt32());
        Assert.Equal(1, kpi.GetProperty("callsByOutcome").GetProperty("lifted-no-injury").GetInt32());
        var csv = await supervisor.GetStringAsync("/api/v1/reports/kpi?format=csv");
        Assert.Contains("attendances,\"1\"", csv);
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.GetAsync("/api/v1/reports/kpi")).StatusCode);
    }

    [Fact]
    public async Task A_repeat_press_attaches_to_the_open_call_and_a_cancel_marks_it()
    {
        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        await Signal("pendant-77", 10, "pendant.press");
        var callId = (await console.WaitForAsync("CallRaised")).GetProperty("id").GetInt64();
        await Signal("fall-77", 1, "fall.detected");
        await console.WaitForAsync("CallUpdated", c => c.GetProperty("id").GetInt64() == callId && c.GetProperty("version").GetInt32() == 2);
        await Signal("pendant-77", 11, "pendant.cancel");
        var cancelled = await console.WaitForAsync("CallUpdated", c => c.GetProperty("cancelledByResident").GetBoolean());

        Assert.Equal(callId, cancelled.GetProperty("id").GetInt64());
        Assert.Equal(1, console.Count("CallRaised"));
        Assert.Equal(3, _factory.Scalar($"SELECT COUNT(*) FROM signals WHERE call_id = {callId}"));
    }

    [Fact]
    public async Task A_test_mode_device_raises_no_call_and_an_unknown_device_raises_a_technical_call_that_says_so()
    {
        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");
        var devices = await _installer.GetFromJsonAsync<JsonElement[]>("/api/v1/devices");
        var pendant = devices!.Single(d => d.GetProperty("deviceId").GetString() == "pendant-77").GetProperty("id").GetInt64();
        await _installer.PutAsync($"/api/v1/devices/{pendant}/test-mode", Json("""{"enabled":true,"minutes":30}"""));

        await Signal("pendant-77", 20, "pendant.press");
        await Signal("stranger-1", 1, "pendant.press");
        var ticket = await console.WaitForAsync("TicketRaised");

        Assert.Contains("Unknown device", ticket.GetProperty("summary").GetString());
        Assert.Equal("stranger-1", ticket.GetProperty("deviceId").GetString());
        await Eventually.TrueAsync(() => _factory.Scalar("SELECT COUNT(*) FROM signals WHERE triaged = 1") == 2, TimeSpan.FromSeconds(10), "both signals triaged");
        Assert.Equal(0, console.Count("CallRaised"));
        Assert.Equal(0, _factory.Scalar("SELECT COUNT(*) FROM calls WHERE device_ref = 'pendant-77'"));
    }

    [Fact]
    public async Task Hubs_refuse_the_wrong_roles()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => _factory.HubAsync("/hubs/dispatch", Roles.Installer));
        await Assert.ThrowsAnyAsync<Exception>(() => _factory.HubAsync("/hubs/dispatch", Roles.Responder));
        await Assert.ThrowsAnyAsync<Exception>(() => _factory.HubAsync("/hubs/dispatch"));
        await Assert.ThrowsAnyAsync<Exception>(() => _factory.HubAsync("/hubs/responder", Roles.Handler));

        // A responder cannot act on another responder's assignment.
        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await using var rob = await _factory.HubAsync("/hubs/responder", cookie: _robCookie);
        await Signal("pendant-77", 30, "pendant.press");
        var callId = (await console.WaitForAsync("CallRaised")).GetProperty("id").GetInt64();
        await console.InvokeAsync("Claim", callId);
        await console.InvokeAsync("AssignResponder", callId, _rita);
        var assignment = _factory.Scalar($"SELECT id FROM assignments WHERE call_id = {callId}");
        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => rob.InvokeAsync("Accept", assignment));
        Assert.Contains("not yours", refused.Message);
    }

    [Fact]
    public async Task Reassigning_withdraws_the_first_offer_and_each_delivery_of_access_details_and_each_duty_tap_is_audited()
    {
        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await using var rita = await _factory.HubAsync("/hubs/responder", cookie: _ritaCookie);
        await rita.WaitForAsync("Snapshot");
        await Signal("pendant-77", 60, "pendant.press");
        var callId = (await console.WaitForAsync("CallRaised")).GetProperty("id").GetInt64();
        await console.InvokeAsync("Claim", callId);
        await console.InvokeAsync("AssignResponder", callId, _rita);
        var first = (await rita.WaitForAsync("AssignmentOffered")).GetProperty("id").GetInt64();
        await console.InvokeAsync("AssignResponder", callId, _rob);

        await rita.WaitForAsync("AssignmentWithdrawn");
        Assert.Equal(1, _factory.Scalar($"SELECT COUNT(*) FROM assignments WHERE id = {first} AND state = 'Withdrawn'"));
        Assert.Equal(1, _factory.Scalar($"SELECT COUNT(*) FROM assignments WHERE call_id = {callId} AND state = 'Offered' AND responder_id = {_rob}"));
        foreach (var responder in new[] { _rita, _rob })
        {
            Assert.Equal(1, _factory.Scalar($"""
                SELECT COUNT(*) FROM audit WHERE action = 'resident.access-details.deliver' AND actor = 'Responder:{responder}'
                    AND target = 'resident/{_resident}' AND detail = 'call {callId}'
                """));
        }

        Assert.False(await rita.InvokeAsync<bool>("SetOnDuty", false));
        Assert.False((await rita.InvokeAsync<JsonElement>("GetSnapshot")).GetProperty("onDuty").GetBoolean());
        Assert.Equal(1, _factory.Scalar($"SELECT COUNT(*) FROM audit WHERE action = 'responder.off-duty' AND actor = 'rita' AND target = 'responder/{_rita}'"));
        Assert.Empty((await rita.InvokeAsync<JsonElement>("GetSnapshot")).GetProperty("assignments").EnumerateArray());
    }

    [Fact]
    public async Task The_call_panel_shows_the_resident_devices_signals_and_suggests_the_least_busy_responder_first()
    {
        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await Signal("pendant-77", 50, "pendant.press");
        var first = (await console.WaitForAsync("CallRaised")).GetProperty("id").GetInt64();
        await console.InvokeAsync("Claim", first);
        await console.InvokeAsync("AssignResponder", first, _rita);

        var panel = await _factory.ClientAs(Roles.Handler).GetFromJsonAsync<JsonElement>($"/api/v1/calls/{first}");

        Assert.Equal(first, panel.GetProperty("call").GetProperty("id").GetInt64());
        var resident = panel.GetProperty("resident");
        Assert.Equal("Edith Hawkins", resident.GetProperty("name").GetString());
        Assert.True(resident.GetProperty("hasAccessDetails").GetBoolean());
        Assert.DoesNotContain("4417", panel.GetRawText());
        Assert.Equal(["fall-77", "pendant-77"], panel.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()!).Order().ToArray());
        Assert.Single(panel.GetProperty("signals").EnumerateArray());
        Assert.Contains("lifted-no-injury", panel.GetProperty("outcomeCodes").EnumerateArray().Select(o => o.GetString()));

        // Rita now has open work, Rob has none: Rob is suggested, and listed first.
        var responders = panel.GetProperty("responders").EnumerateArray().ToArray();
        Assert.Equal(_rob, panel.GetProperty("suggestedResponderId").GetInt64());
        Assert.Equal(_rob, responders[0].GetProperty("id").GetInt64());
        Assert.True(responders[0].GetProperty("suggested").GetBoolean());
        Assert.Equal(1, responders.Single(r => r.GetProperty("id").GetInt64() == _rita).GetProperty("openWork").GetInt32());
    }

    [Fact]
    public async Task A_console_that_connects_later_gets_the_open_calls_in_its_snapshot()
    {
        await Signal("pendant-77", 40, "pendant.press");
        await Eventually.TrueAsync(() => _factory.Scalar("SELECT COUNT(*) FROM calls") == 1, TimeSpan.FromSeconds(10), "the call");

        await using var console = await _factory.HubAsync("/hubs/dispatch", Roles.Handler);
        var snapshot = await console.WaitForAsync("Snapshot");

        Assert.Single(snapshot.GetProperty("calls").EnumerateArray());
        Assert.Equal(60, snapshot.GetProperty("answerWarnSeconds").GetInt32());
        Assert.Equal(180, snapshot.GetProperty("answerEscalateSeconds").GetInt32());
    }
}

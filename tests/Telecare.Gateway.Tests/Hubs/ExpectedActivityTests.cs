using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hubs;

/// <summary>
/// Expected-activity rules per resident, set through the API and kept by the timer loop on a manual clock: a rule that
/// is not kept raises one wellbeing call on the consoles, also across a restart; movement keeps it quiet.
/// </summary>
public sealed class ExpectedActivityTests
{
    // November: London is on GMT, so local clock times equal UTC here.
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<long> ResidentWithDeviceAsync(HttpClient installer, string name, string deviceType, string deviceId)
    {
        var created = await installer.PostAsync("/api/v1/residents", Json($$"""{"firstName":"{{name}}","lastName":"Test","address":"1 High Street"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        var device = await installer.PostAsync("/api/v1/devices", Json($$"""{"type":"{{deviceType}}","deviceId":"{{deviceId}}","residentId":{{id}}}"""));
        Assert.Equal(HttpStatusCode.Created, device.StatusCode);
        return id;
    }

    private static async Task SetRulesAsync(HttpClient installer, long residentId, string rules)
    {
        var response = await installer.PutAsync($"/api/v1/residents/{residentId}/expected-activity", Json($$"""{"rules":{{rules}}}"""));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A handler takes the call and finds the resident fine: it is no longer open.</summary>
    private static async Task HandleAsync(HubClient console, long callId)
    {
        await console.InvokeAsync("Claim", callId);
        await console.InvokeAsync("Resolve", callId, "no-assistance-needed", "spoke to the resident, all well");
    }

    private static Func<JsonElement, bool> ResidentCall(long residentId) =>
        c => c.GetProperty("residentId").ToString() == residentId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Func<JsonElement, bool> WellbeingFor(long residentId) =>
        c => c.GetProperty("kind").GetString() == "wellbeing" && c.GetProperty("residentId").ToString() == residentId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task No_movement_by_ten_raises_one_wellbeing_call_for_the_resident_who_did_not_move_and_none_again_after_a_restart()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Store:Path"] = data.File("telecare.db") };
        var clock = new ManualTimeProvider(Morning);
        const string upByTen = """[{"name":"up-by-ten","kind":"NoMovementBy","by":"10:00","from":"05:00"}]""";

        long moving, still, lateRules;
        await using (var factory = new GatewayFactory(settings) { TestServices = services => services.AddSingleton<TimeProvider>(clock) })
        {
            var installer = factory.ClientAs(Roles.Installer);
            moving = await ResidentWithDeviceAsync(installer, "Moving", "pir", "pir-moving");
            still = await ResidentWithDeviceAsync(installer, "Still", "pir", "pir-still");
            await SetRulesAsync(installer, moving, upByTen);
            await SetRulesAsync(installer, still, upByTen);
            await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
            await console.WaitForAsync("Snapshot");

            // A movement sensor sees movement again at 07:00 (an inactivity restore): that resident is up.
            await clock.AdvanceToAsync(Morning.AddHours(1));
            var moved = await installer.PostAsync("/api/v1/signals", Json("""{"deviceId":"pir-moving","seq":1,"type":"inactivity","restore":true}"""));
            Assert.Equal(HttpStatusCode.Accepted, moved.StatusCode);

            await clock.AdvanceUntilAsync(() => console.Count("CallRaised", WellbeingFor(still)) > 0, TimeSpan.FromHours(4), "the wellbeing call", stepSeconds: 60);
            var call = await console.WaitForAsync("CallRaised", WellbeingFor(still));
            Assert.Equal(Morning.AddHours(4), call.GetProperty("raisedAt").GetDateTimeOffset());
            Assert.Equal("inactivity", call.GetProperty("eventType").GetString());
            await HandleAsync(console, call.GetProperty("id").GetInt64());

            // Rules set after today's deadline start tomorrow: no call for a deadline that passed before they existed.
            lateRules = await ResidentWithDeviceAsync(installer, "Late", "pir", "pir-late");
            await clock.AdvanceToAsync(Morning.AddHours(5));
            await SetRulesAsync(installer, lateRules, upByTen);
            await clock.AdvanceToAsync(Morning.AddHours(6));
            Assert.Equal(0, console.Count("CallRaised", WellbeingFor(moving)));
            Assert.Equal(0, console.Count("CallRaised", WellbeingFor(lateRules)));
            Assert.Equal(1, console.Count("CallRaised", WellbeingFor(still)));
        }

        // After a restart the timer loop rebuilds its state from the store: the same occurrence is not raised again,
        // but tomorrow's is, for each resident who does not move then.
        await using (var factory = new GatewayFactory(settings) { TestServices = services => services.AddSingleton<TimeProvider>(clock) })
        {
            await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
            await console.WaitForAsync("Snapshot");
            await clock.AdvanceToAsync(Morning.AddHours(8));
            Assert.Equal(0, console.Count("CallRaised"));
            Assert.Equal(1, factory.Scalar($"SELECT COUNT(*) FROM calls WHERE kind = 'Wellbeing' AND resident_id = {still}"));

            // Tomorrow the moving resident is up at 07:00 again; the other two are not seen.
            await clock.AdvanceToAsync(Morning.AddDays(1).AddHours(1), stepSeconds: 600);
            var movedAgain = await factory.ClientAs(Roles.Installer).PostAsync("/api/v1/signals", Json("""{"deviceId":"pir-moving","seq":2,"type":"inactivity","restore":true}"""));
            Assert.Equal(HttpStatusCode.Accepted, movedAgain.StatusCode);
            await clock.AdvanceToAsync(Morning.AddDays(1).AddHours(3), stepSeconds: 600);
            await clock.AdvanceUntilAsync(() => console.Count("CallRaised", WellbeingFor(lateRules)) > 0 && console.Count("CallRaised", WellbeingFor(still)) > 0,
                TimeSpan.FromHours(2), "tomorrow's wellbeing calls", stepSeconds: 60);
            Assert.Equal(0, console.Count("CallRaised", WellbeingFor(moving)));
        }
    }

    [Fact]
    public async Task Out_of_bed_longer_than_thirty_minutes_at_night_raises_a_wellbeing_call_and_a_short_trip_does_not()
    {
        var night = new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(night);
        await using var factory = new GatewayFactory { TestServices = services => services.AddSingleton<TimeProvider>(clock) };
        var installer = factory.ClientAs(Roles.Installer);
        var resident = await ResidentWithDeviceAsync(installer, "Wanderer", "bed", "bed-1");
        await SetRulesAsync(installer, resident, """[{"name":"night-wander","kind":"OutOfBedLongerThan","limit":"00:30:00","window":"22:00-07:00"}]""");
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        // Up at 23:00 (the default rules raise a call for a night absence at once; the handler speaks to the resident
        // and resolves it), back at 23:20: a short trip.
        await installer.PostAsync("/api/v1/signals", Json("""{"deviceId":"bed-1","seq":1,"type":"bed.absent"}"""));
        var first = (await console.WaitForAsync("CallRaised", ResidentCall(resident))).GetProperty("id").GetInt64();
        await HandleAsync(console, first);
        await clock.AdvanceToAsync(night.AddMinutes(20));
        await installer.PostAsync("/api/v1/signals", Json("""{"deviceId":"bed-1","seq":2,"type":"bed.absent","restore":true}"""));
        await clock.AdvanceToAsync(night.AddMinutes(40));
        Assert.Equal(0, console.Count("CallRaised", WellbeingFor(resident)));

        // Up again at 23:40, the call handled again, and not back: at 00:10 a wellbeing call, once.
        await installer.PostAsync("/api/v1/signals", Json("""{"deviceId":"bed-1","seq":3,"type":"bed.absent"}"""));
        var second = await console.WaitForAsync("CallRaised", c => ResidentCall(resident)(c) && c.GetProperty("id").GetInt64() != first);
        await HandleAsync(console, second.GetProperty("id").GetInt64());
        await clock.AdvanceUntilAsync(() => console.Count("CallRaised", WellbeingFor(resident)) > 0, TimeSpan.FromMinutes(45), "the wellbeing call", stepSeconds: 30);
        var call = await console.WaitForAsync("CallRaised", WellbeingFor(resident));
        Assert.Equal(night.AddMinutes(70), call.GetProperty("raisedAt").GetDateTimeOffset());
        Assert.Equal("bed.absent", call.GetProperty("eventType").GetString());
        await clock.AdvanceToAsync(night.AddHours(2));
        Assert.Equal(1, console.Count("CallRaised", WellbeingFor(resident)));
    }

    [Fact]
    public async Task A_missed_activity_for_a_resident_whose_call_is_open_is_noted_on_that_call_with_its_priority_not_raised_as_a_second_one()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var factory = new GatewayFactory { TestServices = services => services.AddSingleton<TimeProvider>(clock) };
        var installer = factory.ClientAs(Roles.Installer);
        var resident = await ResidentWithDeviceAsync(installer, "Flooded", "flood", "flood-1");
        await SetRulesAsync(installer, resident, """[{"name":"up-by-ten","kind":"NoMovementBy","by":"10:00","from":"05:00","priority":"P1"}]""");
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        // A flood alarm at 06:00 (P2, and not a sign of movement) raises a call that is still being worked at 10:00.
        Assert.Equal(HttpStatusCode.Accepted, (await installer.PostAsync("/api/v1/signals", Json("""{"deviceId":"flood-1","seq":1,"type":"flood.alarm"}"""))).StatusCode);
        var alarm = await console.WaitForAsync("CallRaised", ResidentCall(resident));
        var alarmId = alarm.GetProperty("id").GetInt64();

        await clock.AdvanceUntilAsync(() => factory.Scalar($"SELECT COUNT(*) FROM call_timeline WHERE call_id = {alarmId} AND detail LIKE 'wellbeing:%'") > 0,
            TimeSpan.FromHours(5), "the note on the open call", stepSeconds: 60);
        await clock.AdvanceToAsync(Morning.AddHours(6));
        Assert.Equal(0, console.Count("CallRaised", WellbeingFor(resident)));
        Assert.Equal(1, factory.Scalar($"SELECT COUNT(*) FROM calls WHERE resident_id = {resident}"));
        Assert.Equal(1, factory.Scalar($"SELECT COUNT(*) FROM call_timeline WHERE call_id = {alarmId} AND detail LIKE 'wellbeing:%'"));
        Assert.Equal(2, alarm.GetProperty("priority").GetInt32());
        // The consoles hear of the note, and the call now has the rule's more urgent priority.
        Assert.True(console.Count("CallUpdated", c => c.GetProperty("id").GetInt64() == alarmId && c.GetProperty("priority").GetInt32() == 1) > 0,
            "the consoles hear of the note and the raised priority");
    }

    [Fact]
    public async Task Rules_are_validated_naming_the_rule_and_read_back_as_set()
    {
        await using var factory = new GatewayFactory();
        var installer = factory.ClientAs(Roles.Installer);
        var resident = await ResidentWithDeviceAsync(installer, "Rules", "pir", "pir-rules");

        var bad = await installer.PutAsync($"/api/v1/residents/{resident}/expected-activity",
            Json("""{"rules":[{"name":"up-by-ten","kind":"NoMovementBy","by":"25:00"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("rules[0]", problem, StringComparison.Ordinal);
        Assert.Contains("up-by-ten", problem, StringComparison.Ordinal);

        var twice = await installer.PutAsync($"/api/v1/residents/{resident}/expected-activity",
            Json("""{"rules":[{"name":"a","kind":"NoMovementBy","by":"10:00"},{"name":"a","kind":"NoMovementBy","by":"11:00"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await installer.PutAsync("/api/v1/residents/999999/expected-activity", Json("""{"rules":[]}"""))).StatusCode);

        await SetRulesAsync(installer, resident, """[{"name":"night-wander","kind":"OutOfBedLongerThan","limit":"00:30:00","window":"22:00-07:00","priority":"P1"}]""");
        var read = JsonDocument.Parse(await factory.ClientAs(Roles.Handler).GetStringAsync($"/api/v1/residents/{resident}/expected-activity")).RootElement;
        var rule = Assert.Single(read.GetProperty("rules").EnumerateArray());
        Assert.Equal("night-wander", rule.GetProperty("name").GetString());
        Assert.Equal("00:30:00", rule.GetProperty("limit").GetString());
        Assert.Equal("P1", rule.GetProperty("priority").GetString());
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM audit WHERE action = 'resident.expected-activity.set'"));
    }
}

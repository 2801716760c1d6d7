using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Calls;

/// <summary>
/// The supervisors' figures per zone: two zones with different attendance targets, one call each, both attended after
/// 30 minutes. Only the zone whose own target is 20 minutes shows the attendance as late; the total adds both up.
/// </summary>
public sealed class ZoneReportTests
{
    private static readonly DateTimeOffset Night = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<long> Id(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Each_zone_is_measured_against_its_own_attendance_target_and_the_csv_has_a_row_per_zone()
    {
        var clock = new ManualTimeProvider(Night);
        await using var factory = new GatewayFactory { TestServices = services => services.AddSingleton<TimeProvider>(clock) };
        var admin = factory.ClientAs(Roles.Admin);
        var installer = factory.ClientAs(Roles.Installer);
        var signals = new List<(string Device, long Responder, string Cookie)>();
        foreach (var (zoneName, target) in new[] { ("Northtown", 20), ("Southtown", 45) })
        {
            var zone = await Id(await admin.PostAsync("/api/v1/zones", Json($$"""{"name":"{{zoneName}}","attendanceTargetMinutes":{{target}}}""")));
            var resident = await Id(await installer.PostAsync("/api/v1/residents", Json($$"""{"firstName":"A","lastName":"{{zoneName}}","address":"1 Street","zoneId":{{zone}}}""")));
            Assert.Equal(HttpStatusCode.Created, (await installer.PostAsync("/api/v1/devices", Json($$"""{"type":"pendant","deviceId":"p-{{zoneName}}","residentId":{{resident}}}"""))).StatusCode);
            var user = await Id(await admin.PostAsync("/api/v1/users", Json($$"""{"username":"r-{{zoneName}}","role":"responder","password":"night-shift-{{zoneName}}"}""")));
            var responder = await Id(await installer.PostAsync("/api/v1/responders", Json($$"""{"name":"R {{zoneName}}","zoneId":{{zone}},"onDuty":true,"userId":{{user}}}""")));
            signals.Add(($"p-{zoneName}", responder, await factory.SignInAsync($"r-{zoneName}", $"night-shift-{zoneName}")));
        }

        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");
        foreach (var (device, responderId, cookie) in signals)
        {
            await using var responder = await factory.HubAsync("/hubs/responder", cookie: cookie);
            await responder.WaitForAsync("Snapshot");
            Assert.Equal(HttpStatusCode.Accepted, (await installer.PostAsync("/api/v1/signals", Json($$"""{"deviceId":"{{device}}","seq":1,"type":"pendant.press"}"""))).StatusCode);
            var call = (await console.WaitForAsync("CallRaised", c => c.GetProperty("deviceId").GetString() == device)).GetProperty("id").GetInt64();
            await console.InvokeAsync("Claim", call);
            await console.InvokeAsync("AssignResponder", call, responderId);
            var assignment = (await responder.WaitForAsync("AssignmentOffered")).GetProperty("id").GetInt64();
            await responder.InvokeAsync("Accept", assignment);
            clock.Advance(TimeSpan.FromMinutes(30));
            await responder.InvokeAsync("Arrived", assignment);
            await responder.InvokeAsync("Complete", assignment, "resident-assisted");
        }

        var supervisor = factory.ClientAs(Roles.Supervisor);
        var report = await supervisor.GetFromJsonAsync<JsonElement>("/api/v1/reports/kpi/zones");
        var zones = report.GetProperty("zones").EnumerateArray().ToDictionary(z => z.GetProperty("zone").GetString()!);
        Assert.Equal(["Northtown", "Southtown"], zones.Keys.Order());
        Assert.Equal(1, zones["Northtown"].GetProperty("calls").GetInt32());
        Assert.Equal(1, zones["Northtown"].GetProperty("attendances").GetInt32());
        Assert.Equal(0.0, zones["Northtown"].GetProperty("attendanceWithinTargetShare").GetDouble());
        Assert.Equal(1.0, zones["Southtown"].GetProperty("attendanceWithinTargetShare").GetDouble());
        Assert.Equal(2, zones.Values.Sum(z => z.GetProperty("nightAttendances").GetInt32()));
        var total = report.GetProperty("total");
        Assert.Equal(2, total.GetProperty("calls").GetInt32());
        Assert.Equal(0.5, total.GetProperty("attendanceWithinTargetShare").GetDouble());

        var csv = (await supervisor.GetStringAsync("/api/v1/reports/kpi/zones?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("zone,from,to,", csv[0], StringComparison.Ordinal);
        var header = csv[0].Split(',');
        var share = Array.IndexOf(header, "attendanceWithinTargetShare");
        Assert.True(share > 0, csv[0]);
        Assert.Equal(["\"all zones\"", "\"Northtown\"", "\"Southtown\""], csv[1..].Select(r => r.Split(',')[0]).ToArray());
        Assert.Equal("\"0\"", csv[2].Split(',')[share]);
        Assert.Equal("\"1\"", csv[3].Split(',')[share]);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientAs(Roles.Handler).GetAsync("/api/v1/reports/kpi/zones")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Telecare.Core.Accounts;
using Telecare.Gateway.Calls;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Calls;

/// <summary>
/// Triage that fails for one signal (here the call's row is refused by a trigger the test puts in the file) must not
/// lose that signal or hold back the others: it is stored and acknowledged, left untriaged, a critical alert is on the
/// consoles, other signals raise their calls, and the next start triages it.
/// </summary>
public sealed class TriageFailureTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task RegisterPendantAsync(GatewayFactory factory, string deviceId, string lastName)
    {
        var installer = factory.ClientAs(Roles.Installer);
        var resident = await installer.PostAsync("/api/v1/residents", Json($$"""{"firstName":"Ann","lastName":"{{lastName}}","address":"3 Rule Row"}"""));
        var residentId = (await resident.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var registered = await installer.PostAsync("/api/v1/devices", Json($$"""{"type":"pendant","deviceId":"{{deviceId}}","residentId":{{residentId}}}"""));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Fact]
    public async Task A_signal_whose_triage_fails_is_kept_untriaged_with_an_alert_and_triaged_at_the_next_start()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Store:Path"] = data.File("telecare.db") };
        await using (var factory = new GatewayFactory(settings))
        {
            await RegisterPendantAsync(factory, "refused-pendant", "Refused");
            await RegisterPendantAsync(factory, "fine-pendant", "Fine");
            StoreFile.Execute(factory.DatabasePath, """
                CREATE TRIGGER refuse_falls BEFORE INSERT ON calls WHEN NEW.event_type = 'fall.detected'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
                """);
            await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
            await console.WaitForAsync("Snapshot");
            var ingest = factory.ClientAs(Roles.Installer);

            var refused = await ingest.PostAsync("/api/v1/signals", Json("""{"deviceId":"refused-pendant","seq":1,"type":"fall.detected"}"""));
            var fine = await ingest.PostAsync("/api/v1/signals", Json("""{"deviceId":"fine-pendant","seq":1,"type":"pendant.press"}"""));

            Assert.Equal(HttpStatusCode.Accepted, refused.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, fine.StatusCode);
            var alert = await console.WaitForAsync("SystemAlert", a => a.GetProperty("code").GetString() == CallService.TriageFailedAlert, Wait);
            Assert.Equal("critical", alert.GetProperty("severity").GetString());
            await console.WaitForAsync("CallRaised", c => c.GetProperty("deviceId").GetString() == "fine-pendant", Wait);
            Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM signals WHERE device_ref = 'refused-pendant' AND triaged = 0"));
            Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM calls WHERE event_type = 'fall.detected'"));
            Assert.Equal(0, console.Count("CallRaised", c => c.GetProperty("deviceId").GetString() == "refused-pendant"));
        }

        StoreFile.Execute(data.File("telecare.db"), "DROP TRIGGER refuse_falls");
        await using var restarted = new GatewayFactory(settings);
        await using var next = await restarted.HubAsync("/hubs/dispatch", Roles.Handler);
        var snapshot = await next.WaitForAsync("Snapshot");
        Assert.Contains(snapshot.GetProperty("calls").EnumerateArray(), c => c.GetProperty("deviceId").GetString() == "refused-pendant");
        Assert.Equal(1, restarted.Scalar("SELECT COUNT(*) FROM calls WHERE event_type = 'fall.detected'"));
        Assert.Equal(0, restarted.Scalar("SELECT COUNT(*) FROM signals WHERE triaged = 0 AND rejection_reason IS NULL"));
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Core.Signals;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Calls;

/// <summary>
/// Each signal is triaged in its own unit of the writer's batch, and a batch is one commit. Inside the batch each
/// signal must see what the earlier ones did: a second press from the same resident attaches to the call the first
/// raised, never a second call. The writer is held while the signals queue, so they form one batch.
/// </summary>
public sealed class BatchTriageTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Signals_triaged_in_one_batch_see_each_others_calls_and_reach_the_console_after_the_commit()
    {
        await using var factory = new GatewayFactory();
        var installer = factory.ClientAs(Roles.Installer);
        var resident = JsonDocument.Parse(await (await installer.PostAsync("/api/v1/residents",
            Json("""{"firstName":"Batch","lastName":"Test","address":"2 High Street"}"""))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await installer.PostAsync("/api/v1/devices", Json($$"""{"type":"pendant","deviceId":"batch-pendant","residentId":{{resident}}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await installer.PostAsync("/api/v1/devices", Json($$"""{"type":"fall-detector","deviceId":"batch-fall","residentId":{{resident}}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await installer.PostAsync("/api/v1/devices", Json("""{"type":"smoke","deviceId":"batch-smoke"}"""))).StatusCode);
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        var sink = factory.Services.GetRequiredService<ISignalSink>();
        var writer = factory.Services.GetRequiredService<StoreWriter>();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var held = writer.ExecuteAsync(_ =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)), "the writer did not take the holding unit");
        var submitted = new List<Task<SignalReceipt>>();
        foreach (var (device, seq, type) in new[] { ("batch-pendant", 1, "pendant.press"), ("batch-fall", 1, "fall.detected"), ("batch-pendant", 2, "pendant.press"), ("batch-smoke", 1, "smoke.alarm") })
        {
            submitted.Add(sink.SubmitAsync(new IncomingSignal
            {
                Source = SignalSource.Http,
                DeviceRef = device,
                Sequence = seq,
                EventType = type,
                RawFrame = Encoding.UTF8.GetBytes($"{device}/{seq}"),
            }).AsTask());
        }

        await Eventually.TrueAsync(() => writer.QueueDepth == 4, TimeSpan.FromSeconds(10), "the four signals queued behind the held writer");
        Assert.Equal(0, console.Count("CallRaised"));
        release.Set();
        await held;
        await Task.WhenAll(submitted);

        // One call for the resident (the fall and the repeat press attach to it), one for the unbound smoke alarm.
        Assert.Equal(2, factory.Scalar("SELECT COUNT(*) FROM calls"));
        Assert.Equal(1, factory.Scalar($"SELECT COUNT(*) FROM calls WHERE resident_id = {resident}"));
        Assert.Equal(3, factory.Scalar($"SELECT COUNT(*) FROM signals WHERE call_id = (SELECT id FROM calls WHERE resident_id = {resident})"));
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM signals WHERE triaged = 0"));
        await console.WaitForAsync("CallRaised", c => c.GetProperty("deviceId").GetString() == "batch-smoke");
        Assert.Equal(2, console.Count("CallRaised"));
        await console.WaitForAsync("CallUpdated", c => c.GetProperty("deviceId").GetString() == "batch-pendant");
    }
}

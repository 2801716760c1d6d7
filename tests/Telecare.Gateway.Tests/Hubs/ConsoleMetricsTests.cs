using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hubs;

public sealed class ConsoleMetricsTests
{
    [Fact]
    public async Task Open_calls_by_priority_and_connected_consoles_are_gauges()
    {
        using var factory = new GatewayFactory();
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");
        await factory.ClientAs(Roles.Installer).PostAsync("/api/v1/signals",
            new StringContent("""{"deviceId":"gauge-dev","seq":1,"type":"smoke.alarm"}""", Encoding.UTF8, "application/json"));
        await console.WaitForAsync("TicketRaised");

        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var seen = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name is "telecare.calls.open" or "telecare.consoles.connected")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            var tag = tags.Length > 0 ? $"{tags[0].Key}={tags[0].Value}" : "";
            lock (seen)
            {
                seen[$"{instrument.Name} {tag}"] = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(1, seen["telecare.consoles.connected hub=dispatch"]);
        Assert.Equal(0, seen["telecare.consoles.connected hub=responder"]);
        Assert.Equal(1, seen.Where(kv => kv.Key.StartsWith("telecare.calls.open priority=", StringComparison.Ordinal)).Sum(kv => kv.Value));
    }
}
